import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import { defaultPod } from './defaults.js';

const NOT_READY = {
  effect: 'NoExecute',
  key: 'node.kubernetes.io/not-ready',
  operator: 'Exists',
  tolerationSeconds: 300,
};
const UNREACHABLE = {
  effect: 'NoExecute',
  key: 'node.kubernetes.io/unreachable',
  operator: 'Exists',
  tolerationSeconds: 300,
};

function defaulted(pod: Pod): Pod {
  const copy = structuredClone(pod);
  defaultPod(copy);
  return copy;
}

describe('defaultPod', () => {
  test('`kubectl run web --image=nginx` as a 1.32 server stores it', () => {
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default', labels: { run: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx' }] },
    };
    assert.deepEqual(defaulted(pod), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default', labels: { run: 'web' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx',
            imagePullPolicy: 'Always',
            resources: {},
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File',
          },
        ],
        dnsPolicy: 'ClusterFirst',
        enableServiceLinks: true,
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        securityContext: {},
        serviceAccount: 'default',
        serviceAccountName: 'default',
        terminationGracePeriodSeconds: 30,
        tolerations: [NOT_READY, UNREACHABLE],
      },
    });
  });

  test('containers: pull policy by tag, ports, env, probes, resources', () => {
    const pod = defaulted({
      metadata: { name: 'p', namespace: 'default' },
      spec: {
        containers: [
          {
            name: 'a',
            image: 'nginx:1.27',
            ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }],
            env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            livenessProbe: { httpGet: { port: 80 } },
            readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
            startupProbe: { grpc: { port: 9000 } },
            resources: { limits: { cpu: '0.5', memory: '128Mi' } },
          },
          { name: 'b', image: 'registry.local:5000/tools/busybox' },
          { name: 'c', image: 'busybox:latest', imagePullPolicy: 'Never' },
          {
            name: 'd',
            image: 'alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
          },
        ],
      },
    });
    const [a, b, c, d] = pod.spec!.containers;
    assert.equal(a!.imagePullPolicy, 'IfNotPresent');
    assert.equal(b!.imagePullPolicy, 'Always');
    assert.equal(c!.imagePullPolicy, 'Never');
    assert.equal(d!.imagePullPolicy, 'IfNotPresent');
    assert.deepEqual(a!.ports, [
      { containerPort: 80, protocol: 'TCP' },
      { containerPort: 53, protocol: 'UDP' },
    ]);
    assert.deepEqual(a!.env![0]!.valueFrom!.fieldRef, { apiVersion: 'v1', fieldPath: 'metadata.name' });
    assert.deepEqual(a!.livenessProbe, {
      httpGet: { port: 80, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    assert.equal(a!.readinessProbe!.periodSeconds, 5);
    assert.deepEqual(a!.startupProbe!.grpc, { port: 9000, service: '' });
    // Limits are canonicalised (0.5 -> 500m) and requests default to them.
    assert.deepEqual(a!.resources, {
      limits: { cpu: '500m', memory: '128Mi' },
      requests: { cpu: '500m', memory: '128Mi' },
    });
  });

  test('explicit requests are kept and canonicalised', () => {
    const pod = defaulted({
      metadata: { name: 'p' },
      spec: {
        containers: [
          {
            name: 'a',
            image: 'x:1',
            resources: { requests: { cpu: '1000m', memory: '1024Mi' }, limits: { cpu: '2' } },
          },
        ],
      },
    });
    assert.deepEqual(pod.spec!.containers[0]!.resources, {
      requests: { cpu: '1', memory: '1Gi' },
      limits: { cpu: '2' },
    });
  });

  test('volumes', () => {
    const pod = defaulted({
      metadata: { name: 'p' },
      spec: {
        containers: [{ name: 'a', image: 'x:1' }],
        volumes: [
          { name: 'scratch' },
          { name: 'cfg', configMap: { name: 'cfg' } },
          { name: 'sec', secret: { secretName: 's', defaultMode: 0o400 } },
          { name: 'host', hostPath: { path: '/var/log' } },
          { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '0.5Gi' } },
          { name: 'proj', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
        ],
      },
    });
    assert.deepEqual(pod.spec!.volumes, [
      { name: 'scratch', emptyDir: {} },
      { name: 'cfg', configMap: { name: 'cfg', defaultMode: 420 } },
      { name: 'sec', secret: { secretName: 's', defaultMode: 256 } },
      { name: 'host', hostPath: { path: '/var/log', type: '' } },
      { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '512Mi' } },
      {
        name: 'proj',
        projected: {
          sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }],
          defaultMode: 420,
        },
      },
    ]);
  });

  test('native sidecar keeps restartPolicy Always and gets container defaults', () => {
    const pod = defaulted({
      metadata: { name: 'p' },
      spec: {
        initContainers: [
          {
            name: 'log',
            image: 'fluent-bit:3',
            restartPolicy: 'Always',
            resources: { limits: { memory: '64Mi' } },
          },
        ],
        containers: [{ name: 'a', image: 'x:1' }],
      },
    });
    const sidecar = pod.spec!.initContainers![0]!;
    assert.equal(sidecar.restartPolicy, 'Always');
    assert.equal(sidecar.imagePullPolicy, 'IfNotPresent');
    assert.deepEqual(sidecar.resources, { limits: { memory: '64Mi' }, requests: { memory: '64Mi' } });
  });

  test('admission defaults respect what the user set', () => {
    const pod = defaulted({
      metadata: { name: 'p' },
      spec: {
        containers: [{ name: 'a', image: 'x:1' }],
        serviceAccountName: 'builder',
        restartPolicy: 'Never',
        tolerations: [
          {
            key: 'node.kubernetes.io/not-ready',
            operator: 'Exists',
            effect: 'NoExecute',
            tolerationSeconds: 10,
          },
        ],
        enableServiceLinks: false,
      },
    });
    assert.equal(pod.spec!.serviceAccount, 'builder');
    assert.equal(pod.spec!.restartPolicy, 'Never');
    assert.equal(pod.spec!.enableServiceLinks, false);
    assert.deepEqual(pod.spec!.tolerations, [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 },
      UNREACHABLE,
    ]);
  });

  test('hostNetwork makes container ports host ports', () => {
    const pod = defaulted({
      metadata: { name: 'p' },
      spec: {
        hostNetwork: true,
        containers: [{ name: 'a', image: 'x:1', ports: [{ containerPort: 8080 }] }],
      },
    });
    assert.deepEqual(pod.spec!.containers[0]!.ports, [
      { containerPort: 8080, hostPort: 8080, protocol: 'TCP' },
    ]);
  });

  test('defaulting twice changes nothing', () => {
    const once = defaulted({
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'a', image: 'nginx', resources: { limits: { cpu: '0.25' } } }] },
    });
    assert.deepEqual(defaulted(once), once);
  });
});
