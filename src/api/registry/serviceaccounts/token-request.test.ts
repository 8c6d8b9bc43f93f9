import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TokenRequest } from 'kubernetes-types/authentication/v1';
import { ServiceAccountTokens } from '../../../server/serviceaccount-tokens.js';
import { thrownApiError } from '../../testing/api-errors.js';
import type { KubeObject } from '../../types.js';
import { createToken, parseTokenRequest, type TokenRequestDeps } from './token-request.js';

const NOW = new Date('2026-11-25T12:00:00.250Z');
const obj = (kind: string, namespace: string, name: string, uid: string, extra: object = {}): KubeObject =>
  ({ apiVersion: 'v1', kind, metadata: { name, namespace, uid }, ...extra }) as KubeObject;

/** Decodes a JWT's claims (the signature is checked separately through verify). */
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());

describe('TokenRequest (serviceaccounts/token), as kube-apiserver answers it', () => {
  let dir: string;
  let deps: TokenRequestDeps;
  let tokens: ServiceAccountTokens;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-token-request-'));
    tokens = ServiceAccountTokens.load(dir);
    const objects = new Map<string, KubeObject>(
      [
        ['serviceaccounts', obj('ServiceAccount', 'dev', 'builder', 'sa-uid')],
        ['serviceaccounts', obj('ServiceAccount', 'dev', 'default', 'sa-default')],
        [
          'pods',
          obj('Pod', 'dev', 'web', 'pod-uid', { spec: { serviceAccountName: 'builder', nodeName: 'n1' } }),
        ],
        [
          'pods',
          obj('Pod', 'dev', 'lost', 'pod-lost', {
            spec: { serviceAccountName: 'builder', nodeName: 'gone' },
          }),
        ],
        ['pods', obj('Pod', 'dev', 'other', 'pod-other', { spec: { serviceAccountName: 'default' } })],
        ['secrets', obj('Secret', 'dev', 's', 'secret-uid')],
        ['nodes', obj('Node', '', 'n1', 'node-uid')],
      ].map(([resource, o]) => [
        `${resource}/${(o as KubeObject).metadata?.namespace}/${(o as KubeObject).metadata?.name}`,
        o as KubeObject,
      ]),
    );
    deps = { get: (r, ns, n) => objects.get(`${r}/${ns}/${n}`), issuer: tokens, now: () => NOW };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const request = (spec: Partial<TokenRequest['spec']> = {}, metadata = {}): TokenRequest =>
    parseTokenRequest({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata, spec });

  test('defaults: an hour, the API audiences, unbound; status carries the token and its expiry', () => {
    const out = createToken(deps, 'dev', 'builder', request());
    assert.deepEqual(out.metadata, {
      name: 'builder',
      namespace: 'dev',
      creationTimestamp: '2026-11-25T12:00:00Z',
    });
    assert.deepEqual(out.spec, {
      audiences: ['https://kubernetes.default.svc.cluster.local'],
      expirationSeconds: 3600,
      boundObjectRef: null,
    });
    assert.equal(out.status?.expirationTimestamp, '2026-11-25T13:00:00Z');
    const claims = claimsOf(out.status!.token);
    assert.equal(claims.exp - claims.iat, 3600);
    assert.equal(claims.sub, 'system:serviceaccount:dev:builder');
    assert.deepEqual(claims['kubernetes.io'], {
      namespace: 'dev',
      serviceaccount: { name: 'builder', uid: 'sa-uid' },
    });
    assert.match(claims.jti, /^[0-9a-f-]{36}$/);
    assert.ok(tokens.verify(out.status!.token, NOW, deps.get), 'the API accepts it');
  });

  test('--duration and --audience are honoured; another audience does not authenticate to the API', () => {
    const out = createToken(
      deps,
      'dev',
      'builder',
      request({ expirationSeconds: 7200, audiences: ['vault'] }),
    );
    assert.equal(out.status?.expirationTimestamp, '2026-11-25T14:00:00Z');
    assert.deepEqual(claimsOf(out.status!.token).aud, ['vault']);
    assert.equal(tokens.verify(out.status!.token, NOW), undefined);
  });

  test('expirationSeconds below 10 minutes or above 2^32 is 422 Invalid with upstream wording', () => {
    const short = thrownApiError(() =>
      createToken(deps, 'dev', 'builder', request({ expirationSeconds: 300 })),
    );
    assert.equal(short.code, 422);
    assert.equal(
      short.message,
      'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes',
    );
    const long = thrownApiError(() =>
      createToken(deps, 'dev', 'builder', request({ expirationSeconds: 2 ** 32 + 1 })),
    );
    assert.match(
      long.message,
      /spec\.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2\^32 seconds$/,
    );
    assert.equal(
      createToken(deps, 'dev', 'builder', request({ expirationSeconds: 600 })).spec.expirationSeconds,
      600,
    );
  });

  test('name and namespace in the body must match the URL; the ServiceAccount must exist', () => {
    const name = thrownApiError(() => createToken(deps, 'dev', 'builder', request({}, { name: 'x' })));
    assert.equal(
      name.message,
      'TokenRequest.authentication.k8s.io "builder" is invalid: metadata.name: Invalid value: "x": must match the service account name if specified',
    );
    const ns = thrownApiError(() => createToken(deps, 'dev', 'builder', request({}, { namespace: 'prod' })));
    assert.match(
      ns.message,
      /metadata\.namespace: Invalid value: "prod": must match the service account namespace if specified/,
    );
    const missing = thrownApiError(() => createToken(deps, 'dev', 'ghost', request()));
    assert.equal(missing.code, 404);
    assert.equal(missing.message, 'serviceaccounts "ghost" not found');
  });

  test("a Pod binding puts the pod's and its node's name and uid into the claims", () => {
    const ref = { kind: 'Pod', apiVersion: 'v1', name: 'web' };
    const out = createToken(deps, 'dev', 'builder', request({ boundObjectRef: ref }));
    assert.deepEqual(out.spec.boundObjectRef, ref);
    const k = claimsOf(out.status!.token)['kubernetes.io'];
    assert.deepEqual(k.pod, { name: 'web', uid: 'pod-uid' });
    assert.deepEqual(k.node, { name: 'n1', uid: 'node-uid' });
    const lost = claimsOf(
      createToken(deps, 'dev', 'builder', request({ boundObjectRef: { ...ref, name: 'lost' } })).status!
        .token,
    );
    assert.deepEqual(lost['kubernetes.io'].node, { name: 'gone' }, 'a missing Node leaves its name only');
  });

  test('Secret and Node bindings; an unknown kind, a missing object, another SA or a stale uid are refused', () => {
    const secret = createToken(
      deps,
      'dev',
      'builder',
      request({ boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's' } }),
    );
    assert.deepEqual(claimsOf(secret.status!.token)['kubernetes.io'].secret, {
      name: 's',
      uid: 'secret-uid',
    });
    const node = createToken(
      deps,
      'dev',
      'builder',
      request({ boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'n1' } }),
    );
    assert.deepEqual(claimsOf(node.status!.token)['kubernetes.io'].node, { name: 'n1', uid: 'node-uid' });

    const kind = thrownApiError(() =>
      createToken(
        deps,
        'dev',
        'builder',
        request({ boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'c' } }),
      ),
    );
    assert.equal(kind.code, 400);
    assert.equal(kind.message, 'cannot bind token to object of type /v1, Kind=ConfigMap');
    const gone = thrownApiError(() =>
      createToken(
        deps,
        'dev',
        'builder',
        request({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'nope' } }),
      ),
    );
    assert.equal(gone.code, 404);
    assert.equal(gone.message, 'pods "nope" not found');
    const otherSA = thrownApiError(() =>
      createToken(
        deps,
        'dev',
        'builder',
        request({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'other' } }),
      ),
    );
    assert.equal(otherSA.code, 400);
    assert.equal(
      otherSA.message,
      'cannot bind token for serviceaccount "builder" to pod running with different serviceaccount name.',
    );
    const stale = thrownApiError(() =>
      createToken(
        deps,
        'dev',
        'builder',
        request({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'old' } }),
      ),
    );
    assert.equal(stale.code, 409);
    assert.equal(
      stale.message,
      'Operation cannot be fulfilled on Pod "web": the UID in the bound object reference (old) does not match the UID in record. The object might have been deleted and then recreated',
    );
  });

  test('a pod-bound 3607 s token for the API lives a year and warns after 3607 s (extended expiration)', () => {
    const out = createToken(
      deps,
      'dev',
      'builder',
      request({ expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web' } }),
    );
    assert.equal(out.status?.expirationTimestamp, '2026-11-25T13:00:07Z', 'status keeps the requested time');
    const claims = claimsOf(out.status!.token);
    assert.equal(claims.exp - claims.iat, 365 * 24 * 3600);
    assert.equal(claims['kubernetes.io'].warnafter - claims.iat, 3607);
    const unbound = claimsOf(
      createToken(deps, 'dev', 'builder', request({ expirationSeconds: 3607 })).status!.token,
    );
    assert.equal(unbound.exp - unbound.iat, 3607, 'only pod-bound tokens are extended');
  });

  test('malformed bodies are 400s naming the field', () => {
    const cases: [unknown, RegExp][] = [
      [[], /must be a TokenRequest object/],
      [{ kind: 'Pod' }, /^kind: must be "TokenRequest"/],
      [{ apiVersion: 'v1' }, /^apiVersion: must be "authentication\.k8s\.io\/v1"/],
      [{ spec: { audiences: 'x' } }, /^spec\.audiences: must be a list of strings/],
      [{ spec: { expirationSeconds: '600' } }, /^spec\.expirationSeconds: must be an integer/],
      [{ spec: { boundObjectRef: { name: 3 } } }, /^spec\.boundObjectRef\.name: must be a string/],
    ];
    for (const [body, message] of cases) {
      const e = thrownApiError(() => parseTokenRequest(body));
      assert.equal(e.code, 400);
      assert.match(e.message, message);
    }
  });
});
