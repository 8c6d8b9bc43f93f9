/**
 * Synthetic bodies for kinds kubectl's generators never send (Event, Node, Endpoints, ReplicaSet, Scale,
 * DeleteOptions, ControllerRevision; Pod has its own file). Field numbers are written from the upstream generated.proto
 * files and the expected JSON from the Go structs' json tags (omitempty, pointers, inline), independently
 * of the generated tables the decoder reads.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeKubernetesProtobuf } from './decode.js';
import { envelope, intOrString, quantity, timestamp } from './testing/proto-writer.js';

/** 2026-11-25T08:00:13Z */
const T = 1795593613;

describe('other kinds', () => {
  test('core/v1 Event: Time, MicroTime with microseconds, EventSeries, zero MicroTime → null', () => {
    const body = envelope('v1', 'Event', (e) => {
      e.message(1, (m) => m.string(1, 'web-0.1').string(3, 'development'));
      e.message(2, (o) =>
        o.string(1, 'Pod').string(2, 'development').string(3, 'web-0').string(4, 'uid-9').string(5, 'v1'),
      );
      e.string(3, 'Started').string(4, 'Started container app');
      e.message(5, (s) => s.string(1, 'kubelet').string(2, 'node-1'));
      e.message(6, timestamp(T))
        .message(7, timestamp(T + 60))
        .varint(8, 2)
        .string(9, 'Normal');
      e.message(10, () => undefined);
      e.message(11, (s) => s.varint(1, 2).message(2, timestamp(T + 60, 123_456_789)));
      e.string(14, 'kubelet').string(15, 'node-1');
    });
    assert.deepStrictEqual(decodeKubernetesProtobuf(body), {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web-0.1', namespace: 'development' },
      involvedObject: {
        kind: 'Pod',
        namespace: 'development',
        name: 'web-0',
        uid: 'uid-9',
        apiVersion: 'v1',
      },
      reason: 'Started',
      message: 'Started container app',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: '2026-11-25T08:00:13Z',
      lastTimestamp: '2026-11-25T08:01:13Z',
      count: 2,
      type: 'Normal',
      eventTime: null,
      series: { count: 2, lastObservedTime: '2026-11-25T08:01:13.123456Z' },
      reportingComponent: 'kubelet',
      reportingInstance: 'node-1',
    });
  });

  test('core/v1 Node: quantity maps, taints, unschedulable', () => {
    const body = envelope('v1', 'Node', (n) => {
      n.message(1, (m) => m.string(1, 'node-1').mapEntry(11, 'kubernetes.io/hostname', 'node-1'));
      n.message(2, (s) =>
        s
          .string(1, '10.244.0.0/24')
          .string(7, '10.244.0.0/24')
          .varint(4, true)
          .message(5, (t) => t.string(1, 'dedicated').string(2, 'infra').string(3, 'NoSchedule')),
      );
      n.message(3, (s) =>
        s
          .mapEntry(1, 'cpu', quantity('2'))
          .mapEntry(1, 'memory', quantity('4Gi'))
          .mapEntry(2, 'pods', quantity('110'))
          .message(5, (a) => a.string(1, 'InternalIP').string(2, '10.0.0.1')),
      );
    });
    assert.deepStrictEqual(decodeKubernetesProtobuf(body), {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
      spec: {
        podCIDR: '10.244.0.0/24',
        podCIDRs: ['10.244.0.0/24'],
        unschedulable: true,
        taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }],
      },
      status: {
        capacity: { cpu: '2', memory: '4Gi' },
        allocatable: { pods: '110' },
        addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
      },
    });
  });

  test('core/v1 Endpoints', () => {
    const body = envelope('v1', 'Endpoints', (e) => {
      e.message(1, (m) => m.string(1, 'web'));
      e.message(2, (s) =>
        s
          .message(1, (a) =>
            a.string(1, '10.244.0.7').message(2, (r) => r.string(1, 'Pod').string(3, 'web-0')),
          )
          .message(3, (p) => p.string(1, 'http').varint(2, 8080).string(3, 'TCP')),
      );
    });
    assert.deepStrictEqual(decodeKubernetesProtobuf(body), {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'web' },
      subsets: [
        {
          addresses: [{ ip: '10.244.0.7', targetRef: { kind: 'Pod', name: 'web-0' } }],
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        },
      ],
    });
  });

  test('apps/v1 ReplicaSet: pointer replicas 0 is kept, selector, status', () => {
    const body = envelope('apps/v1', 'ReplicaSet', (rs) => {
      rs.message(1, (m) => m.string(1, 'web-5d4f').mapEntry(12, 'deployment.kubernetes.io/revision', '2'));
      rs.message(2, (s) =>
        s
          .varint(1, 0)
          .varint(4, 0)
          .message(2, (l) =>
            l
              .mapEntry(1, 'app', 'web')
              .message(2, (r) => r.string(1, 'tier').string(2, 'In').string(3, 'web')),
          )
          .message(3, (t) =>
            t
              .message(1, (m) => m.mapEntry(11, 'app', 'web'))
              .message(2, (p) => p.message(2, (c) => c.string(1, 'app').string(2, 'nginx'))),
          ),
      );
      rs.message(3, (s) => s.varint(1, 0).varint(3, 4));
    });
    assert.deepStrictEqual(decodeKubernetesProtobuf(body), {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-5d4f', annotations: { 'deployment.kubernetes.io/revision': '2' } },
      spec: {
        replicas: 0,
        selector: {
          matchLabels: { app: 'web' },
          matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }],
        },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'app', image: 'nginx' }] },
        },
      },
      status: { replicas: 0, observedGeneration: 4 },
    });
  });

  test('autoscaling/v1 Scale', () => {
    const body = envelope('autoscaling/v1', 'Scale', (s) => {
      s.message(1, (m) => m.string(1, 'web').string(3, 'default').string(6, '42'));
      s.message(2, (sp) => sp.varint(1, 3));
      s.message(3, (st) => st.varint(1, 2).string(2, 'app=web'));
    });
    assert.deepStrictEqual(decodeKubernetesProtobuf(body), {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name: 'web', namespace: 'default', resourceVersion: '42' },
      spec: { replicas: 3 },
      status: { replicas: 2, selector: 'app=web' },
    });
  });

  test('autoscaling/v1 HorizontalPodAutoscaler, as kubectl autoscale sends it', () => {
    const body = envelope('autoscaling/v1', 'HorizontalPodAutoscaler', (h) => {
      h.message(1, (m) => m.string(1, 'web').string(3, 'default'));
      h.message(2, (sp) =>
        sp
          .message(1, (r) => r.string(1, 'Deployment').string(2, 'web').string(3, 'apps/v1'))
          .varint(2, 1)
          .varint(3, 3)
          .varint(4, 50),
      );
      h.message(3, (st) => st.varint(3, 0).varint(4, 0));
    });
    assert.deepStrictEqual(decodeKubernetesProtobuf(body), {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
        minReplicas: 1,
        maxReplicas: 3,
        targetCPUUtilizationPercentage: 50,
      },
      status: { currentReplicas: 0, desiredReplicas: 0 },
    });
  });

  test('autoscaling/v2 HorizontalPodAutoscaler: metrics with quantities, behavior rules', () => {
    const body = envelope('autoscaling/v2', 'HorizontalPodAutoscaler', (h) => {
      h.message(1, (m) => m.string(1, 'web'));
      h.message(2, (sp) =>
        sp
          .message(1, (r) => r.string(1, 'Deployment').string(2, 'web'))
          .varint(3, 5)
          .message(4, (ms) =>
            ms
              .string(1, 'Resource')
              .message(4, (rs) =>
                rs
                  .string(1, 'memory')
                  .message(2, (t) => t.string(1, 'AverageValue').message(3, quantity('100Mi'))),
              ),
          )
          .message(5, (b) =>
            b.message(2, (r) =>
              r
                .varint(3, 0)
                .string(1, 'Max')
                .message(2, (p) => p.string(1, 'Percent').varint(2, 100).varint(3, 15)),
            ),
          ),
      );
    });
    assert.deepStrictEqual(decodeKubernetesProtobuf(body), {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web' },
        maxReplicas: 5,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } },
          },
        ],
        behavior: {
          scaleDown: {
            stabilizationWindowSeconds: 0,
            selectPolicy: 'Max',
            policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
          },
        },
      },
    });
  });

  for (const apiVersion of ['v1', 'apps/v1', 'meta.k8s.io/v1']) {
    test(`meta/v1 DeleteOptions under ${apiVersion}: no metadata, pointers kept at zero`, () => {
      const body = envelope(apiVersion, 'DeleteOptions', (d) => {
        d.varint(1, 0)
          .message(2, (p) => p.string(1, 'uid-1'))
          .string(4, 'Background')
          .string(5, 'All');
      });
      assert.deepStrictEqual(decodeKubernetesProtobuf(body), {
        apiVersion,
        kind: 'DeleteOptions',
        gracePeriodSeconds: 0,
        preconditions: { uid: 'uid-1' },
        propagationPolicy: 'Background',
        dryRun: ['All'],
      });
    });
  }

  test('managedFields: fieldsV1 raw JSON is embedded, operation and time kept', () => {
    const body = envelope('v1', 'ConfigMap', (c) =>
      c.message(1, (m) =>
        m.string(1, 'x').message(17, (f) =>
          f
            .string(1, 'kubectl')
            .string(2, 'Update')
            .string(3, 'v1')
            .message(4, timestamp(T))
            .string(6, 'FieldsV1')
            .message(7, (v) => v.bytes(1, Buffer.from('{"f:data":{"f:a":{}}}'))),
        ),
      ),
    );
    assert.deepStrictEqual(decodeKubernetesProtobuf(body).metadata, {
      name: 'x',
      managedFields: [
        {
          manager: 'kubectl',
          operation: 'Update',
          apiVersion: 'v1',
          time: '2026-11-25T08:00:13Z',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:data': { 'f:a': {} } },
        },
      ],
    });
  });

  test('apps/v1 ControllerRevision: RawExtension data is its JSON, embedded', () => {
    const data = '{"spec":{"template":{"$patch":"replace"}}}';
    const body = envelope('apps/v1', 'ControllerRevision', (e) => {
      e.message(1, (m) => m.string(1, 'agent-7d9f8').string(3, 'default'));
      e.message(2, (r) => r.string(1, data));
      e.varint(3, 2);
    });
    assert.deepStrictEqual(decodeKubernetesProtobuf(body), {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: 'agent-7d9f8', namespace: 'default' },
      data: { spec: { template: { $patch: 'replace' } } },
      revision: 2,
    });
  });

  test('networking/v1 NetworkPolicy: selectors, peers, IntOrString ports, endPort, policyTypes', () => {
    const body = envelope('networking.k8s.io/v1', 'NetworkPolicy', (n) => {
      n.message(1, (m) => m.string(1, 'db').string(3, 'default'));
      n.message(2, (s) =>
        s
          .message(1, (sel) => sel.mapEntry(1, 'app', 'db'))
          .message(2, (r) =>
            r
              .message(1, (p) => p.string(1, 'TCP').message(2, intOrString(5432)))
              .message(1, (p) => p.string(1, 'UDP').message(2, intOrString(1000)).varint(3, 2000))
              .message(1, (p) => p.message(2, intOrString('metrics')))
              .message(2, (peer) =>
                peer.message(1, (sel) => sel.mapEntry(1, 'role', 'client')).message(2, () => undefined),
              )
              .message(2, (peer) =>
                peer.message(3, (b) => b.string(1, '10.0.0.0/8').string(2, '10.1.0.0/16')),
              ),
          )
          .message(3, () => undefined)
          .string(4, 'Ingress')
          .string(4, 'Egress'),
      );
    });
    assert.deepStrictEqual(decodeKubernetesProtobuf(body), {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'db', namespace: 'default' },
      spec: {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [
          {
            ports: [
              { protocol: 'TCP', port: 5432 },
              { protocol: 'UDP', port: 1000, endPort: 2000 },
              { port: 'metrics' },
            ],
            from: [
              { podSelector: { matchLabels: { role: 'client' } }, namespaceSelector: {} },
              { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
            ],
          },
        ],
        egress: [{}],
        policyTypes: ['Ingress', 'Egress'],
      },
    });
  });

  // What `kubectl create pdb web --selector=app=web --min-available=50%` sends, and drain's Eviction.
  test('policy/v1 PodDisruptionBudget (IntOrString, selector), Eviction (DeleteOptions), PriorityClass', () => {
    const pdb = envelope('policy/v1', 'PodDisruptionBudget', (e) => {
      e.message(1, (m) => m.string(1, 'web').string(3, 'default'));
      e.message(2, (s) =>
        s
          .message(1, intOrString('50%'))
          .message(2, (sel) => sel.message(1, (kv) => kv.string(1, 'app').string(2, 'web')))
          .string(4, 'AlwaysAllow'),
      );
      e.message(3, () => undefined);
    });
    assert.deepStrictEqual(decodeKubernetesProtobuf(pdb), {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        minAvailable: '50%',
        selector: { matchLabels: { app: 'web' } },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
      status: {},
    });
    const eviction = envelope('policy/v1', 'Eviction', (e) => {
      e.message(1, (m) => m.string(1, 'web-0').string(3, 'default'));
      e.message(2, (d) => d.varint(1, 30).string(5, 'All'));
    });
    assert.deepStrictEqual(decodeKubernetesProtobuf(eviction), {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'web-0', namespace: 'default' },
      deleteOptions: { gracePeriodSeconds: 30, dryRun: ['All'] },
    });
    const pc = envelope('scheduling.k8s.io/v1', 'PriorityClass', (e) => {
      e.message(1, (m) => m.string(1, 'high'));
      e.varint(2, 1000).varint(3, true).string(5, 'Never');
    });
    assert.deepStrictEqual(decodeKubernetesProtobuf(pc), {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'high' },
      value: 1000,
      globalDefault: true,
      preemptionPolicy: 'Never',
    });
  });
});
