/**
 * TokenRequest bodies through the shared protobuf decoder, against bytes the stock kubectl really sends (captured by a
 * loopback server), plus malformed and foreign bodies.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CaptureServer, runKubectl } from '../../protobuf/testing/kubectl-capture.js';
import { thrownApiError } from '../../testing/api-errors.js';
import { decodeTokenRequestProtobuf } from './token-subresource.js';

describe('TokenRequest from protobuf, as kubectl create token sends it', () => {
  const capture = new CaptureServer();
  let full: Buffer;
  let bare: Buffer;
  before(async () => {
    await capture.start();
    const captured = async (args: string[]) => {
      const before = capture.writes().length;
      await runKubectl(capture.url, ['create', 'token', 'builder', ...args]);
      const w = capture.writes().slice(before);
      assert.equal(w.length, 1, 'kubectl sent one TokenRequest');
      assert.equal(w[0]!.url.split('?')[0], '/api/v1/namespaces/default/serviceaccounts/builder/token');
      assert.equal(w[0]!.contentType, 'application/vnd.kubernetes.protobuf');
      return w[0]!.body;
    };
    full = await captured([
      '--duration=15m',
      '--audience=a1',
      '--audience=a2',
      '--bound-object-kind=Pod',
      '--bound-object-name=web',
      '--bound-object-uid=u-1',
    ]);
    bare = await captured([]);
  });
  after(() => capture.close());

  test('every flag arrives: audiences, expirationSeconds, boundObjectRef', () => {
    const r = decodeTokenRequestProtobuf(full);
    assert.equal(r.apiVersion, 'authentication.k8s.io/v1');
    assert.equal(r.kind, 'TokenRequest');
    assert.deepEqual(r.spec, {
      audiences: ['a1', 'a2'],
      expirationSeconds: 900,
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'u-1' },
    });
  });

  test('without flags the spec is empty (the server applies its defaults)', () => {
    const r = decodeTokenRequestProtobuf(bare);
    assert.equal(r.spec.expirationSeconds, undefined);
    assert.equal(r.spec.audiences, undefined);
    assert.equal(r.spec.boundObjectRef, undefined);
  });

  test('a truncated body is a 400 naming where; another kind is a 415', () => {
    for (let cut = full.length - 1; cut > full.length - 40; cut -= 7) {
      const e = thrownApiError(() => decodeTokenRequestProtobuf(full.subarray(0, cut)));
      assert.equal(e.code, 400, `cut at ${cut}: ${e.message}`);
      assert.match(e.message, / at byte \d+: /);
    }
    const kindAt = full.indexOf('TokenRequest');
    const other = Buffer.from(full);
    other.write('TokenReviews', kindAt); // same length: the envelope stays well-formed
    assert.equal(thrownApiError(() => decodeTokenRequestProtobuf(other)).code, 415);
  });
});
