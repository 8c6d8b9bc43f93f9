import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConfigMap, Container, Pod, Secret, Service } from 'kubernetes-types/core/v1';
import {
  CreateContainerConfigError,
  expandCommandAndArgs,
  makeEnvironment,
  type ObjectLookups,
} from './env.js';

const configMaps: ConfigMap[] = [
  {
    metadata: { name: 'cfg', namespace: 'ns' },
    data: { MODE: 'fast', '1bad': 'x', 'also.ok': 'y', 'bad key': 'z' },
  },
];
const secrets: Secret[] = [
  {
    metadata: { name: 'sec', namespace: 'ns' },
    data: { password: Buffer.from('s3cr3t').toString('base64') },
  },
];
const services: Service[] = [
  {
    metadata: { name: 'kubernetes', namespace: 'default' },
    spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] },
  },
  {
    metadata: { name: 'redis-master', namespace: 'ns' },
    spec: { clusterIP: '10.96.0.20', ports: [{ port: 6379 }] },
  },
  { metadata: { name: 'headless', namespace: 'ns' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } },
  {
    metadata: { name: 'elsewhere', namespace: 'other' },
    spec: { clusterIP: '10.96.0.30', ports: [{ port: 80 }] },
  },
];
const lookups: ObjectLookups = {
  configMap: (ns, name) => configMaps.find((c) => c.metadata?.namespace === ns && c.metadata?.name === name),
  secret: (ns, name) => secrets.find((c) => c.metadata?.namespace === ns && c.metadata?.name === name),
  services: () => services,
};

function pod(container: Container, enableServiceLinks?: boolean): Pod {
  return {
    metadata: {
      name: 'web-0',
      namespace: 'ns',
      uid: 'uid-1',
      labels: { app: 'web', tier: 'fe' },
      annotations: { note: 'say "hi"\n' },
    },
    spec: { nodeName: 'node-a', serviceAccountName: 'sa', enableServiceLinks, containers: [container] },
  };
}
function envOf(container: Container, enableServiceLinks?: boolean) {
  const result = makeEnvironment({
    pod: pod(container, enableServiceLinks),
    container,
    lookups,
    addresses: { hostIPs: ['192.168.1.10'], podIPs: ['10.88.0.7', 'fd00::7'] },
    allocatable: { cpu: '2', memory: '4Gi' },
  });
  return { map: new Map(result.env.map((e) => [e.name, e.value])), result };
}

describe('makeEnvironment', () => {
  test('value, references, fieldRef and resourceFieldRef', () => {
    const { map } = envOf({
      name: 'c',
      env: [
        { name: 'A', value: 'a' },
        { name: 'B', value: '$(A)-$(UNKNOWN)-$$(A)-$(REDIS_MASTER_SERVICE_HOST)' },
        { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'LABELS', valueFrom: { fieldRef: { fieldPath: 'metadata.labels' } } },
        { name: 'ANN', valueFrom: { fieldRef: { fieldPath: 'metadata.annotations' } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
        { name: 'HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'IPS', valueFrom: { fieldRef: { fieldPath: 'status.podIPs' } } },
        { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
        { name: 'CPU_REQ_M', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
        { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      ],
      resources: { requests: { cpu: '250m' }, limits: { memory: '100M' } },
    });
    assert.equal(map.get('B'), 'a-$(UNKNOWN)-$(A)-10.96.0.20');
    assert.equal(map.get('NAME'), 'web-0');
    assert.equal(map.get('NS'), 'ns');
    assert.equal(map.get('UID'), 'uid-1');
    assert.equal(map.get('APP'), 'web');
    assert.equal(map.get('LABELS'), 'app="web"\ntier="fe"');
    assert.equal(map.get('ANN'), 'note="say \\"hi\\"\\n"');
    assert.equal(map.get('NODE'), 'node-a');
    assert.equal(map.get('SA'), 'sa');
    assert.equal(map.get('HOST'), '192.168.1.10');
    assert.equal(map.get('IP'), '10.88.0.7');
    assert.equal(map.get('IPS'), '10.88.0.7,fd00::7');
    assert.equal(map.get('CPU_LIMIT'), '2', 'unset limit reads node allocatable');
    assert.equal(map.get('CPU_REQ_M'), '250');
    assert.equal(map.get('MEM_MI'), '96', 'ceil(100000000 / 1048576)');
  });

  test('envFrom with prefix; invalid keys skipped with the kubelet event; env overrides', () => {
    const { map, result } = envOf({
      name: 'c',
      envFrom: [{ configMapRef: { name: 'cfg' } }, { prefix: 'S_', secretRef: { name: 'sec' } }],
      env: [{ name: 'MODE', value: 'slow' }],
    });
    assert.equal(map.get('MODE'), 'slow');
    assert.equal(map.get('also.ok'), 'y');
    assert.equal(map.get('S_password'), 's3cr3t');
    assert.equal(map.has('1bad'), false);
    assert.deepEqual(result.warnings, [
      {
        reason: 'InvalidEnvironmentVariableNames',
        message:
          'Keys [1bad, bad key] from the EnvFrom configMap ns/cfg were skipped since they are considered invalid environment variable names.',
      },
    ]);
  });

  test('missing objects and keys: upstream messages, optional honoured', () => {
    const cases: [Container['env'], string][] = [
      [
        [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }],
        'configmap "nope" not found',
      ],
      [
        [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } }],
        "couldn't find key k in ConfigMap ns/cfg",
      ],
      [[{ name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } }], 'secret "nope" not found'],
      [
        [{ name: 'X', valueFrom: { secretKeyRef: { name: 'sec', key: 'k' } } }],
        "couldn't find key k in Secret ns/sec",
      ],
      [
        [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.bogus' } } }],
        'unsupported fieldPath: spec.bogus',
      ],
    ];
    for (const [env, message] of cases) {
      assert.throws(
        () => envOf({ name: 'c', env }),
        (err: unknown) => err instanceof CreateContainerConfigError && err.message === message,
      );
    }
    assert.throws(
      () => envOf({ name: 'c', envFrom: [{ secretRef: { name: 'gone' } }] }),
      /secret "gone" not found/,
    );
    const { map } = envOf({
      name: 'c',
      envFrom: [{ configMapRef: { name: 'gone', optional: true } }],
      env: [
        { name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k', optional: true } } },
        { name: 'Y', valueFrom: { secretKeyRef: { name: 'gone', key: 'k', optional: true } } },
      ],
    });
    assert.equal(map.has('X') || map.has('Y'), false);
  });

  test('service links: own namespace only when enabled, kubernetes always', () => {
    const { map } = envOf({ name: 'c' });
    assert.equal(map.get('REDIS_MASTER_SERVICE_HOST'), '10.96.0.20');
    assert.equal(map.get('REDIS_MASTER_SERVICE_PORT'), '6379');
    assert.equal(map.get('REDIS_MASTER_PORT'), 'tcp://10.96.0.20:6379');
    assert.equal(map.get('REDIS_MASTER_PORT_6379_TCP'), 'tcp://10.96.0.20:6379');
    assert.equal(map.get('REDIS_MASTER_PORT_6379_TCP_PROTO'), 'tcp');
    assert.equal(map.get('REDIS_MASTER_PORT_6379_TCP_PORT'), '6379');
    assert.equal(map.get('REDIS_MASTER_PORT_6379_TCP_ADDR'), '10.96.0.20');
    assert.equal(map.get('KUBERNETES_SERVICE_PORT_HTTPS'), '443');
    assert.equal(map.has('HEADLESS_SERVICE_HOST'), false);
    assert.equal(map.has('ELSEWHERE_SERVICE_HOST'), false);
    const off = envOf({ name: 'c' }, false).map;
    assert.equal(off.has('REDIS_MASTER_SERVICE_HOST'), false);
    assert.equal(off.get('KUBERNETES_SERVICE_HOST'), '10.96.0.1');
  });

  test('command and args are expanded against the final environment', () => {
    const container: Container = {
      name: 'c',
      command: ['sh', '-c', 'echo $(GREETING) $$(HOME) $(NOPE)'],
      args: ['$(GREETING)'],
      env: [{ name: 'GREETING', value: 'hi' }],
    };
    const { result } = envOf(container);
    assert.deepEqual(expandCommandAndArgs(container, result.env), {
      command: ['sh', '-c', 'echo hi $(HOME) $(NOPE)'],
      args: ['hi'],
    });
  });
});
