import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import { addServiceAccountTokenVolume, SERVICE_ACCOUNT_MOUNT_PATH } from './service-account-volume.js';

test('a new pod gets the kube-api-access projected volume, mounted read-only in every container', () => {
  const pod: Pod = {
    spec: {
      initContainers: [{ name: 'init', image: 'busybox' }],
      containers: [
        { name: 'a', image: 'busybox', volumeMounts: [{ name: 'data', mountPath: '/data' }] },
        { name: 'b', image: 'busybox' },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
    },
  };
  addServiceAccountTokenVolume(pod);
  const volume = pod.spec!.volumes![1]!;
  assert.match(volume.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(volume.projected?.sources?.[0], {
    serviceAccountToken: { expirationSeconds: 3607, path: 'token' },
  });
  assert.equal(volume.projected?.sources?.[1]?.configMap?.name, 'kube-root-ca.crt');
  assert.equal(
    volume.projected?.sources?.[2]?.downwardAPI?.items?.[0]?.fieldRef?.fieldPath,
    'metadata.namespace',
  );
  for (const c of [...pod.spec!.initContainers!, ...pod.spec!.containers]) {
    assert.deepEqual(c.volumeMounts?.at(-1), {
      name: volume.name,
      readOnly: true,
      mountPath: SERVICE_ACCOUNT_MOUNT_PATH,
    });
  }
  assert.equal(pod.spec!.containers[0]!.volumeMounts!.length, 2);
  // Idempotent: a second pass adds nothing.
  addServiceAccountTokenVolume(pod);
  assert.equal(pod.spec!.volumes!.length, 2);
  assert.equal(pod.spec!.containers[1]!.volumeMounts!.length, 1);
});

test('opting out, or a container mounting the path itself, is respected', () => {
  const optOut: Pod = { spec: { automountServiceAccountToken: false, containers: [{ name: 'a' }] } };
  addServiceAccountTokenVolume(optOut);
  assert.equal(optOut.spec!.volumes, undefined);
  const own: Pod = {
    spec: {
      containers: [{ name: 'a', volumeMounts: [{ name: 'mine', mountPath: SERVICE_ACCOUNT_MOUNT_PATH }] }],
      volumes: [{ name: 'mine', secret: { secretName: 's' } }],
    },
  };
  addServiceAccountTokenVolume(own);
  assert.equal(own.spec!.volumes!.length, 1);
});
