import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ServiceAccountTokens } from './serviceaccount-tokens.js';

const dir = mkdtempSync(join(tmpdir(), 'podbay-sa-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const req = {
  namespace: 'dev',
  serviceAccountName: 'default',
  pod: { name: 'p', uid: 'u1' },
  expirationSeconds: 3607,
};

test('issues an ES256 JWT with upstream claims that verifies as the ServiceAccount', () => {
  const tokens = ServiceAccountTokens.load(dir);
  assert.equal(statSync(join(dir, 'pki', 'sa.key')).mode & 0o777, 0o600);
  const now = new Date('2026-11-25T12:00:00Z');
  const jwt = tokens.issue({ ...req, now });
  const [h, c] = jwt.split('.');
  assert.deepEqual(JSON.parse(Buffer.from(h!, 'base64url').toString()).alg, 'ES256');
  const claims = JSON.parse(Buffer.from(c!, 'base64url').toString());
  assert.equal(claims.sub, 'system:serviceaccount:dev:default');
  assert.equal(claims.exp - claims.iat, 3607);
  assert.deepEqual(claims['kubernetes.io'].pod, { name: 'p', uid: 'u1' });
  assert.deepEqual(tokens.verify(jwt, now), {
    namespace: 'dev',
    name: 'default',
    podName: 'p',
    podUID: 'u1',
    tokenID: claims.jti,
  });
  // The same key after a restart.
  assert.ok(ServiceAccountTokens.load(dir).verify(jwt, now));
});

test('tampered, expired, foreign and malformed tokens are refused', () => {
  const tokens = ServiceAccountTokens.load(dir);
  const now = new Date('2026-11-25T12:00:00Z');
  const jwt = tokens.issue({ ...req, now });
  const [h, c, s] = jwt.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(c, 'base64url').toString());
  const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'system:serviceaccount:kube-system:admin' })).toString('base64url')}.${s}`;
  assert.equal(tokens.verify(forged, now), undefined);
  assert.equal(tokens.verify(jwt, new Date(now.getTime() + 3700 * 1000)), undefined);
  const other = ServiceAccountTokens.load(mkdtempSync(join(dir, 'other-')));
  assert.equal(other.verify(jwt, now), undefined);
  assert.equal(tokens.verify(tokens.issue({ ...req, audiences: ['vault'], now }), now), undefined);
  for (const bad of ['', 'a.b', 'x.y.z', `${h}.${c}`]) assert.equal(tokens.verify(bad, now), undefined);
});

test('with the object lookup, a token dies with its ServiceAccount or bound object (claims.go Validate)', () => {
  const tokens = ServiceAccountTokens.load(dir);
  const now = new Date('2026-11-25T12:00:00Z');
  type Meta = { uid?: string; deletionTimestamp?: string };
  const objects = new Map<string, Meta>([
    ['serviceaccounts/dev/default', { uid: 'sa1' }],
    ['pods/dev/p', { uid: 'u1' }],
    ['secrets/dev/s', { uid: 's1' }],
    ['nodes//n', { uid: 'n1' }],
  ]);
  const lookup = (r: string, ns: string, n: string) => {
    const m = objects.get(`${r}/${ns}/${n}`);
    return m ? { metadata: m } : undefined;
  };
  const base = {
    namespace: 'dev',
    serviceAccountName: 'default',
    serviceAccountUID: 'sa1',
    expirationSeconds: 3600,
    now,
  };
  const podToken = tokens.issue({
    ...base,
    pod: { name: 'p', uid: 'u1' },
    node: { name: 'gone-node', uid: '' },
  });
  const secretToken = tokens.issue({ ...base, secret: { name: 's', uid: 's1' } });
  const nodeToken = tokens.issue({ ...base, node: { name: 'n', uid: 'n1' } });
  for (const t of [podToken, secretToken, nodeToken]) assert.ok(tokens.verify(t, now, lookup));

  // A pod recreated under the same name has another uid; a deleted secret or node is gone.
  objects.set('pods/dev/p', { uid: 'u2' });
  objects.delete('secrets/dev/s');
  objects.delete('nodes//n');
  assert.equal(tokens.verify(podToken, now, lookup), undefined);
  assert.equal(tokens.verify(secretToken, now, lookup), undefined);
  assert.equal(tokens.verify(nodeToken, now, lookup), undefined);
  assert.ok(tokens.verify(podToken, now), 'without the lookup only the signature and times are checked');

  // Being deleted: valid for a minute (jwt.DefaultLeeway), then refused.
  objects.set('pods/dev/p', { uid: 'u1', deletionTimestamp: '2026-11-25T11:59:30Z' });
  assert.ok(tokens.verify(podToken, now, lookup));
  objects.set('pods/dev/p', { uid: 'u1', deletionTimestamp: '2026-11-25T11:58:00Z' });
  assert.equal(tokens.verify(podToken, now, lookup), undefined);

  // The ServiceAccount recreated (new uid) or deleted invalidates even an unbound token.
  const unbound = tokens.issue(base);
  assert.ok(tokens.verify(unbound, now, lookup));
  objects.set('serviceaccounts/dev/default', { uid: 'sa2' });
  assert.equal(tokens.verify(unbound, now, lookup), undefined);
  objects.delete('serviceaccounts/dev/default');
  assert.equal(tokens.verify(unbound, now, lookup), undefined);
});
