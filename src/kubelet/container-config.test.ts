import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import type { ResolvedImage } from '../runtime/types.js';
import {
  buildContainerConfig,
  containerResources,
  mergeSecurityContext,
  verifyRunAsNonRoot,
} from './container-config.js';
import { CreateContainerConfigError } from './env.js';

const image: ResolvedImage = {
  reference: 'busybox',
  pattern: 'busybox',
  entrypoint: [],
  cmd: ['sh'],
  env: [],
  stopSignal: 'SIGTERM',
  packages: [],
};

const pod: Pod = {
  metadata: { name: 'web', namespace: 'default', uid: 'u1' },
  spec: {
    securityContext: { runAsUser: 1000, fsGroup: 2000 },
    containers: [
      {
        name: 'app',
        image: 'busybox',
        command: ['echo', '$(GREETING)', '$$(GREETING)'],
        env: [{ name: 'GREETING', value: 'hi' }],
        volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
        resources: { limits: { cpu: '500m', memory: '64Mi' } },
      },
    ],
  },
};
const lookups = { configMap: () => undefined, secret: () => undefined, services: () => [] };

test('argv is expanded, mounts keep readOnly, the log path names the restart', async () => {
  const container = pod.spec?.containers[0];
  assert.ok(container);
  const { config } = await buildContainerConfig({
    pod,
    container,
    type: 'regular',
    restartCount: 3,
    image,
    volumes: new Map([['data', { name: 'data', hostPath: '/tmp', memoryBacked: false, changed: false }]]),
    lookups,
    addresses: { hostIPs: ['192.168.0.2'], podIPs: ['10.244.0.9'] },
    allocatable: {},
  });
  assert.deepEqual(config.argv, ['echo', 'hi', '$(GREETING)']);
  assert.deepEqual(config.mounts, [
    { hostPath: '/tmp', containerPath: '/data', readonly: true, propagation: 'private' },
  ]);
  assert.equal(config.logPath, 'app/3.log');
  assert.deepEqual(config.metadata, { name: 'app', attempt: 3 });
  assert.deepEqual(config.resources, {
    cpuLimitMilli: 500,
    cpuRequestMilli: 500,
    memoryLimitBytes: 64 * 1024 * 1024,
  });
  assert.ok(config.env?.some((e) => e.name === 'GREETING' && e.value === 'hi'));
});

test('a mount of an undeclared volume is a CreateContainerConfigError', async () => {
  const container = { name: 'app', image: 'busybox', volumeMounts: [{ name: 'nope', mountPath: '/x' }] };
  await assert.rejects(
    buildContainerConfig({
      pod,
      container,
      type: 'regular',
      restartCount: 0,
      image,
      volumes: new Map(),
      lookups,
      addresses: { hostIPs: [], podIPs: [] },
      allocatable: {},
    }),
    (err: unknown) =>
      err instanceof CreateContainerConfigError && /cannot find volume "nope"/.test(err.message),
  );
});

test('securityContext: container fields win, fsGroup joins the supplemental groups', () => {
  const merged = mergeSecurityContext(pod, {
    runAsUser: 5,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  });
  assert.deepEqual(merged, {
    runAsUser: 5,
    supplementalGroups: [2000],
    fsGroup: 2000,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  });
  assert.deepEqual(containerResources({ name: 'x', resources: { requests: { cpu: '250m' } } }), {
    cpuRequestMilli: 250,
  });
});

test('runAsNonRoot: root or an unknown user is refused with upstream text', () => {
  const nonRoot: Pod = { ...pod, spec: { containers: [], securityContext: { runAsNonRoot: true } } };
  const c = { name: 'app' };
  assert.match(
    verifyRunAsNonRoot(nonRoot, c, image) ?? '',
    /^container has runAsNonRoot and image will run as root \(pod: "web_default\(u1\)", container: app\)$/,
  );
  assert.equal(
    verifyRunAsNonRoot(nonRoot, { name: 'app', securityContext: { runAsUser: 1000 } }, image),
    undefined,
  );
  assert.match(
    verifyRunAsNonRoot(nonRoot, c, { ...image, user: 'nobody' }) ?? '',
    /non-numeric user \(nobody\)/,
  );
});
