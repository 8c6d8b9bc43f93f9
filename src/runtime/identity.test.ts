import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseImageUser, resolveIdentity } from './identity.js';

const passwd =
  'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n';

test('image user by name, by uid, by uid:gid', () => {
  assert.deepEqual(parseImageUser('nobody', passwd), { uid: 65534, gid: 65534 });
  assert.deepEqual(parseImageUser('1000', passwd), { uid: 1000 });
  assert.deepEqual(parseImageUser('1000:50', passwd), { uid: 1000, gid: 50 });
  assert.throws(() => parseImageUser('ghost', passwd), /image user: no user "ghost"/);
});

test('securityContext wins over the image user; groups are supplementalGroups + fsGroup', () => {
  const fromImage = resolveIdentity(undefined, 'nobody', passwd);
  assert.deepEqual([fromImage.uid, fromImage.gid, fromImage.noNewPrivs], [65534, 65534, true]);
  const sc = resolveIdentity({ runAsUser: 7, supplementalGroups: [10, 11], fsGroup: 11 }, 'nobody', passwd);
  assert.deepEqual([sc.uid, sc.gid, sc.groups], [7, 0, [10, 11]]);
  const escalate = resolveIdentity({ allowPrivilegeEscalation: true }, undefined, passwd);
  assert.equal(escalate.noNewPrivs, false);
  assert.throws(() => resolveIdentity({ runAsUser: -1 }, undefined, passwd), /securityContext\.runAsUser/);
});
