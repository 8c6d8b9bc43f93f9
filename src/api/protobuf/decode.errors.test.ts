/**
 * Malformed and unusual input: every failure is an ApiError naming the field path and byte offset
 * (400) or the kind (415); unknown fields are skipped; map and scalar edge cases follow proto + Go JSON.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../errors.js';
import { decodeKubernetesProtobuf } from './decode.js';
import {
  type Build,
  encode,
  envelope,
  intOrString,
  type ProtoWriter,
  quantity,
  timestamp,
} from './testing/proto-writer.js';

const MAGIC = Buffer.from('k8s\0', 'latin1');

function rejects(body: Buffer, code: number, message: string | RegExp): ApiError {
  let caught: unknown;
  try {
    decodeKubernetesProtobuf(body);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ApiError, `expected ApiError, got ${String(caught)}`);
  assert.equal(caught.code, code);
  if (typeof message === 'string') assert.equal(caught.message, message);
  else assert.match(caught.message, message);
  return caught;
}

/** A Deployment whose first container is built by `container`, placed after a findable marker name. */
const deploymentWithContainer = (container: Build): Buffer =>
  envelope('apps/v1', 'Deployment', (d) =>
    d
      .message(1, (m) => m.string(1, 'web'))
      .message(2, (s) =>
        s.message(3, (t) =>
          t.message(2, (p) =>
            p.message(2, (c) => {
              c.string(1, 'MARKER');
              container(c);
            }),
          ),
        ),
      ),
  );
const afterMarker = (body: Buffer): number => body.indexOf('MARKER') + 'MARKER'.length;

describe('envelope errors', () => {
  test('a body without the k8s\\0 prefix', () => {
    rejects(
      Buffer.from('{"kind":"ConfigMap"}'),
      400,
      'body at byte 0: missing the Kubernetes protobuf prefix "k8s\\x00"',
    );
    rejects(Buffer.from('k8s'), 400, /^body at byte 0: missing/);
  });

  test('truncated varint and length past the end', () => {
    rejects(Buffer.concat([MAGIC, Buffer.from([0x80])]), 400, 'runtime.Unknown at byte 4: truncated varint');
    const long = Buffer.concat([MAGIC, encode((w) => w.tag(2, 2).rawVarint(100)), Buffer.from('abc')]);
    rejects(
      long,
      400,
      'runtime.Unknown.raw at byte 5: length 100 runs past the end of the message (3 bytes left)',
    );
  });

  test('typeMeta with the wrong wire type', () => {
    rejects(
      Buffer.concat([MAGIC, encode((w) => w.varint(1, 5))]),
      400,
      /^runtime\.Unknown at byte 4: field 1 must be length-delimited/,
    );
  });

  test('unknown kinds and versions are 415 naming the kind', () => {
    const e = rejects(
      envelope('v1', 'ReplicationController', () => undefined),
      415,
      /kind "ReplicationController" in version "v1"/,
    );
    assert.equal(e.reason, 'UnsupportedMediaType');
    rejects(
      envelope('certificates.k8s.io/v1', 'CertificateSigningRequest', () => undefined),
      415,
      /kind "CertificateSigningRequest"/,
    );
    rejects(
      envelope('apps/v1beta1', 'Deployment', () => undefined),
      415,
      /version "apps\/v1beta1"/,
    );
    rejects(
      envelope('v2', 'DeleteOptions', () => undefined),
      415,
      /kind "DeleteOptions"/,
    );
    rejects(
      envelope('v1', 'toString', () => undefined),
      415,
      /kind "toString"/,
    );
  });

  test('a content encoding is 415', () => {
    const body = Buffer.concat([
      MAGIC,
      encode((u) => u.message(1, (t) => t.string(1, 'v1').string(2, 'ConfigMap')).string(3, 'gzip')),
    ]);
    rejects(body, 415, /content encoding "gzip"/);
  });

  test('an envelope without raw is an empty object of that kind', () => {
    const body = Buffer.concat([
      MAGIC,
      encode((u) => u.message(1, (t) => t.string(1, 'v1').string(2, 'Namespace'))),
    ]);
    assert.deepStrictEqual(decodeKubernetesProtobuf(body), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {},
    });
  });
});

describe('object errors name the field path and byte', () => {
  test('wrong wire type deep inside a pod template', () => {
    const body = deploymentWithContainer((c) => c.varint(2, 7));
    const e = rejects(
      body,
      400,
      `spec.template.spec.containers[0].image at byte ${afterMarker(body)}: field 2 (string) must use wire type length-delimited, got varint`,
    );
    assert.deepStrictEqual(e.details?.causes?.[0]?.field, 'spec.template.spec.containers[0].image');
  });

  test('invalid UTF-8 in a string and in a map key', () => {
    const bad = Buffer.from([0x61, 0xff, 0xfe]);
    const value = envelope('v1', 'ConfigMap', (c) => c.mapEntry(2, 'a', bad));
    rejects(value, 400, new RegExp(`^data\\[a\\] at byte ${value.indexOf(bad)}: string is not valid UTF-8$`));
    const key = envelope('v1', 'ConfigMap', (c) => c.message(2, (e) => e.bytes(1, bad).string(2, 'v')));
    rejects(key, 400, /^data\[\(key\)\] at byte \d+: string is not valid UTF-8$/);
  });

  test('int64 beyond 2^53-1 is refused, the limits themselves are kept', () => {
    const gen = (n: bigint): Buffer =>
      envelope('v1', 'ConfigMap', (c) => c.message(1, (m) => m.varint(7, n)));
    rejects(
      gen(2n ** 53n),
      400,
      /^metadata\.generation at byte \d+: int64 value 9007199254740992 is beyond ±\(2\^53-1\)/,
    );
    rejects(gen(-(2n ** 63n)), 400, /^metadata\.generation at byte \d+: int64 value -9223372036854775808/);
    assert.equal(
      (decodeKubernetesProtobuf(gen(2n ** 53n - 1n)).metadata as { generation: number }).generation,
      2 ** 53 - 1,
    );
    assert.equal(
      (decodeKubernetesProtobuf(gen(-(2n ** 53n) + 1n)).metadata as { generation: number }).generation,
      -(2 ** 53) + 1,
    );
  });

  test('varints: over 10 bytes or 2^64 are refused; negative int32 arrives sign-extended', () => {
    const over = envelope('v1', 'Pod', (p) =>
      p.message(2, (s) => s.tag(25, 0).raw(Array(10).fill(0xff)).raw([0x01])),
    );
    rejects(over, 400, /^spec\.priority at byte \d+: varint longer than 10 bytes$/);
    const overflow = envelope('v1', 'Pod', (p) =>
      p.message(2, (s) => s.tag(25, 0).raw(Array(9).fill(0xff)).raw([0x02])),
    );
    rejects(overflow, 400, /^spec\.priority at byte \d+: varint overflows 64 bits$/);
    const negative = envelope('v1', 'Pod', (p) => p.message(2, (s) => s.varint(25, -2147483648)));
    assert.equal((decodeKubernetesProtobuf(negative).spec as { priority: number }).priority, -2147483648);
  });

  test('length of a nested message past its parent', () => {
    const body = envelope('v1', 'ConfigMap', (c) =>
      c.message(1, (m) => m.tag(1, 2).rawVarint(50).raw(Buffer.from('short'))),
    );
    rejects(
      body,
      400,
      /^metadata\.name at byte \d+: length 50 runs past the end of the message \(5 bytes left\)$/,
    );
  });

  test('nesting too deep (groups in an unknown field)', () => {
    const body = envelope('v1', 'ConfigMap', (c) => {
      for (let i = 0; i < 40; i++) c.tag(99, 3);
      for (let i = 0; i < 40; i++) c.tag(99, 4);
    });
    rejects(body, 400, /^ConfigMap at byte \d+: nesting too deep$/);
  });

  test('field number 0, wire types 6 and 7, stray end-group, unclosed group', () => {
    rejects(
      envelope('v1', 'ConfigMap', (c) => c.raw([0x00, 0x00])),
      400,
      /field number 0 is not allowed/,
    );
    rejects(
      envelope('v1', 'ConfigMap', (c) => c.tag(5, 6)),
      400,
      /^ConfigMap at byte \d+: invalid wire type 6$/,
    );
    rejects(
      envelope('v1', 'ConfigMap', (c) => c.message(1, (m) => m.tag(5, 7))),
      400,
      /^metadata at byte \d+: invalid wire type 7$/,
    );
    rejects(
      envelope('v1', 'ConfigMap', (c) => c.tag(9, 4)),
      400,
      /end-group for field 9 without a start-group/,
    );
    rejects(
      envelope('v1', 'ConfigMap', (c) => c.tag(9, 3).varint(1, 1)),
      400,
      /group 9 is never closed/,
    );
  });

  test('special types: IntOrString type, Quantity grammar, Time range, fieldsV1 JSON', () => {
    const svc = envelope('v1', 'Service', (s) =>
      s.message(2, (sp) => sp.message(1, (p) => p.varint(3, 80).message(4, (i) => i.varint(1, 2)))),
    );
    rejects(
      svc,
      400,
      /^spec\.ports\[0\]\.targetPort at byte \d+: IntOrString type 2 is neither 0 \(int\) nor 1 \(string\)$/,
    );
    const q = deploymentWithContainer((c) => c.message(8, (r) => r.mapEntry(1, 'cpu', quantity('lots'))));
    rejects(
      q,
      400,
      /^spec\.template\.spec\.containers\[0\]\.resources\.limits\[cpu\] at byte \d+: quantity "lots"/,
    );
    const time = envelope('v1', 'ConfigMap', (c) =>
      c.message(1, (m) => m.message(8, timestamp(253402300800))),
    );
    rejects(
      time,
      400,
      /^metadata\.creationTimestamp at byte \d+: timestamp 253402300800s is outside the years 0000-9999/,
    );
    const fields = envelope('v1', 'ConfigMap', (c) =>
      c.message(1, (m) => m.message(17, (f) => f.message(7, (v) => v.bytes(1, Buffer.from('{nope'))))),
    );
    rejects(
      fields,
      400,
      /^metadata\.managedFields\[0\]\.fieldsV1 at byte \d+: fieldsV1 does not hold valid UTF-8 JSON$/,
    );
  });
});

describe('forward compatibility and proto semantics', () => {
  const plain: Build = (c) => c.message(1, (m) => m.string(1, 'cm')).mapEntry(2, 'k', 'v');

  test('unknown fields of every wire type are skipped, at top level and nested', () => {
    const unknowns = (w: ProtoWriter): void => {
      w.varint(90, 123456789012n)
        .tag(91, 1)
        .raw(Buffer.alloc(8, 7))
        .tag(92, 5)
        .raw(Buffer.alloc(4, 9))
        .string(93, 'future');
      w.tag(94, 3).varint(1, 1).tag(2, 3).string(3, 'x').tag(2, 4).tag(94, 4);
    };
    const withUnknowns = envelope('v1', 'ConfigMap', (c) => {
      unknowns(c);
      c.message(1, (m) => {
        unknowns(m);
        m.string(1, 'cm');
      });
      c.mapEntry(2, 'k', 'v');
      c.message(2, (e) => e.string(1, 'k2').varint(3, 1).string(2, 'v2'));
    });
    assert.deepStrictEqual(decodeKubernetesProtobuf(withUnknowns), {
      ...decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', plain)),
      data: { k: 'v', k2: 'v2' },
    });
  });

  test('map entries: missing key or value take zero values; "__proto__" stays a plain key', () => {
    const body = envelope('v1', 'ConfigMap', (c) => {
      c.message(2, (e) => e.string(1, 'novalue'));
      c.message(2, (e) => e.string(2, 'nokey'));
      c.mapEntry(2, '__proto__', 'polluted');
    });
    const data = decodeKubernetesProtobuf(body).data as Record<string, string>;
    assert.deepStrictEqual(Object.keys(data), ['novalue', '', '__proto__']);
    assert.equal(data.novalue, '');
    assert.equal(data[''], 'nokey');
    assert.equal(Object.getPrototypeOf(data), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(data, '__proto__')?.value, 'polluted');
  });

  test('a repeated scalar field: last value wins, and a zero omitempty value removes it', () => {
    const body = envelope('v1', 'ConfigMap', (c) =>
      c.message(1, (m) => m.string(1, 'a').string(1, 'b').string(3, 'ns').string(3, '')),
    );
    assert.deepStrictEqual(decodeKubernetesProtobuf(body).metadata, { name: 'b' });
  });

  test('IntOrString as int and string, Quantity kept as written', () => {
    const svc = envelope('v1', 'Service', (s) =>
      s.message(2, (sp) => {
        sp.message(1, (p) => p.string(1, 'a').varint(3, 80).message(4, intOrString(8080)));
        sp.message(1, (p) => p.string(1, 'b').varint(3, 443).message(4, intOrString('https')));
        sp.message(1, (p) =>
          p
            .string(1, 'c')
            .varint(3, 53)
            .message(4, () => undefined),
        );
      }),
    );
    assert.deepStrictEqual((decodeKubernetesProtobuf(svc).spec as { ports: unknown }).ports, [
      { name: 'a', port: 80, targetPort: 8080 },
      { name: 'b', port: 443, targetPort: 'https' },
      { name: 'c', port: 53, targetPort: 0 },
    ]);
    const q = deploymentWithContainer((c) =>
      c.message(8, (r) => r.mapEntry(2, 'cpu', quantity('1000m')).mapEntry(2, 'memory', quantity('1.5e3'))),
    );
    const spec = decodeKubernetesProtobuf(q).spec as {
      template: { spec: { containers: { resources: unknown }[] } };
    };
    assert.deepStrictEqual(spec.template.spec.containers[0]!.resources, {
      requests: { cpu: '1000m', memory: '1.5e3' },
    });
  });
});
