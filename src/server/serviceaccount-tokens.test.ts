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
    username: 'system:serviceaccount:dev:default',
    namespace: 'dev',
    serviceAccountName: 'default',
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
