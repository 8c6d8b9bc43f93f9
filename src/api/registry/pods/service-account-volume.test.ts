import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod, ServiceAccount } from 'kubernetes-types/core/v1';
import {
  addServiceAccountTokenVolume,
  SERVICE_ACCOUNT_MOUNT_PATH,
  type ServiceAccountLookup,
} from './service-account-volume.js';

/** No ServiceAccount stored (or one that says nothing about automounting). */
const noServiceAccount: ServiceAccountLookup = () => undefined;

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
  addServiceAccountTokenVolume(pod, noServiceAccount);
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
  addServiceAccountTokenVolume(pod, noServiceAccount);
  assert.equal(pod.spec!.volumes!.length, 2);
  assert.equal(pod.spec!.containers[1]!.volumeMounts!.length, 1);
});

test('opting out, or a container mounting the path itself, is respected', () => {
  const optOut: Pod = { spec: { automountServiceAccountToken: false, containers: [{ name: 'a' }] } };
  addServiceAccountTokenVolume(optOut, noServiceAccount);
  assert.equal(optOut.spec!.volumes, undefined);
  const own: Pod = {
    spec: {
      containers: [{ name: 'a', volumeMounts: [{ name: 'mine', mountPath: SERVICE_ACCOUNT_MOUNT_PATH }] }],
      volumes: [{ name: 'mine', secret: { secretName: 's' } }],
    },
  };
  addServiceAccountTokenVolume(own, noServiceAccount);
  assert.equal(own.spec!.volumes!.length, 1);
});

test("the ServiceAccount's automountServiceAccountToken decides when the pod does not; the pod's wins", () => {
  const accounts = new Map<string, ServiceAccount>([
    ['dev/quiet', { metadata: { name: 'quiet', namespace: 'dev' }, automountServiceAccountToken: false }],
    ['dev/default', { metadata: { name: 'default', namespace: 'dev' }, automountServiceAccountToken: false }],
    ['dev/loud', { metadata: { name: 'loud', namespace: 'dev' }, automountServiceAccountToken: true }],
  ]);
  const asked: string[] = [];
  const lookup: ServiceAccountLookup = (ns, name) => {
    asked.push(`${ns}/${name}`);
    return accounts.get(`${ns}/${name}`);
  };
  const mounted = (spec: Pod['spec'], namespace = 'dev') => {
    const pod: Pod = { metadata: { name: 'p', namespace }, spec: { ...spec!, containers: [{ name: 'a' }] } };
    addServiceAccountTokenVolume(pod, lookup);
    return (pod.spec!.volumes ?? []).some((v) => v.name.startsWith('kube-api-access-'));
  };
  const cases: [string, Pod['spec'], boolean][] = [
    ['SA false, pod silent', { serviceAccountName: 'quiet', containers: [] }, false],
    [
      'SA false, pod true',
      { serviceAccountName: 'quiet', automountServiceAccountToken: true, containers: [] },
      true,
    ],
    [
      'SA true, pod false',
      { serviceAccountName: 'loud', automountServiceAccountToken: false, containers: [] },
      false,
    ],
    ['SA true, pod silent', { serviceAccountName: 'loud', containers: [] }, true],
    ['no SA stored, pod silent', { serviceAccountName: 'ghost', containers: [] }, true],
    ['unnamed SA is default (false)', { containers: [] }, false],
    ['deprecated serviceAccount alias', { serviceAccount: 'quiet', containers: [] }, false],
  ];
  for (const [what, spec, want] of cases) assert.equal(mounted(spec), want, what);
  assert.equal(mounted({ containers: [] }, 'prod'), true, "another namespace's default SA is not this one");
  assert.ok(asked.includes('dev/default') && asked.includes('prod/default'), asked.join(' '));
});
