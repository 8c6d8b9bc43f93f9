import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crashLoopBackOff, imagePullBackOff } from './start-failures.js';

test('start failure messages match kubelet', () => {
  const pod = { metadata: { name: 'web', namespace: 'prod', uid: 'a-b' } };
  assert.deepEqual(crashLoopBackOff(160_000, 'app', pod), {
    reason: 'CrashLoopBackOff',
    message: 'back-off 2m40s restarting failed container=app pod=web_prod(a-b)',
  });
  assert.deepEqual(imagePullBackOff('registry.local/x:1'), {
    reason: 'ImagePullBackOff',
    message: 'Back-off pulling image "registry.local/x:1"',
  });
});
