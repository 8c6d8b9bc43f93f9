/**
 * A synthetic Pod touching every part of PodSpec/PodStatus the JSON rules treat specially: inline structs
 * (Volume.volumeSource, Probe.handler), pointers kept at zero, omitempty zeros dropped, Quantity maps,
 * IntOrString, packed repeated int64, empty Time → null. Field numbers come from upstream core/v1
 * generated.proto, the expected JSON from the Go json tags, independently of the decoder's tables.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeKubernetesProtobuf } from './decode.js';
import { envelope, intOrString, quantity, timestamp } from './testing/proto-writer.js';

/** 2026-11-25T08:00:13Z */
const T = 1795593613;

describe('core/v1 Pod', () => {
  const body = envelope('v1', 'Pod', (pod) => {
    pod.message(1, (m) =>
      m
        .string(1, 'web-0')
        .string(2, '')
        .string(3, 'development')
        .varint(7, 0)
        .message(8, () => undefined)
        .mapEntry(11, 'app', 'web')
        .message(13, (o) =>
          o
            .string(1, 'ReplicaSet')
            .string(3, 'web-5d4f')
            .string(4, 'uid-1')
            .string(5, 'apps/v1')
            .varint(6, true),
        ),
    );
    pod.message(2, (spec) => {
      spec.message(1, (v) =>
        v.string(1, 'config').message(2, (src) =>
          src.message(19, (cm) => {
            cm.message(1, (ref) => ref.string(1, 'app-config'));
            cm.message(2, (k) => k.string(1, 'a').string(2, 'a.txt').varint(3, 0o400));
            cm.varint(3, 0o644);
          }),
        ),
      );
      spec.message(1, (v) =>
        v
          .string(1, 'scratch')
          .message(2, (src) => src.message(2, (e) => e.string(1, 'Memory').message(2, quantity('64Mi')))),
      );
      spec.message(2, (c) => {
        c.string(1, 'app').string(2, 'nginx:1.27');
        c.string(3, 'nginx').string(4, '-g').string(4, 'daemon off;');
        c.message(6, (p) => p.string(1, 'http').varint(2, 0).varint(3, 80).string(4, 'TCP').string(5, ''));
        c.message(7, (e) => e.string(1, 'LEVEL').string(2, 'debug'));
        c.message(7, (e) =>
          e
            .string(1, 'POD')
            .string(2, '')
            .message(3, (s) => s.message(1, (f) => f.string(1, 'v1').string(2, 'metadata.name'))),
        );
        c.message(8, (r) => r.mapEntry(1, 'memory', quantity('128Mi')).mapEntry(2, 'cpu', quantity('250m')));
        c.message(9, (m) => m.string(1, 'config').varint(2, true).string(3, '/etc/app'));
        c.message(10, (p) =>
          p
            .message(1, (h) =>
              h.message(2, (g) => g.string(1, '/healthz').message(2, intOrString(8080)).string(4, 'HTTP')),
            )
            .varint(2, 0)
            .varint(3, 1)
            .varint(4, 10)
            .varint(5, 1)
            .varint(6, 3),
        );
        c.message(11, (p) =>
          p.message(1, (h) => h.message(3, (t) => t.message(1, intOrString('http')))).varint(2, 5),
        );
        c.message(22, (p) =>
          p.message(1, (h) => h.message(1, (x) => x.string(1, 'cat').string(1, '/tmp/ready'))),
        );
        c.string(13, '/dev/termination-log').string(14, 'IfNotPresent');
        c.message(15, (s) =>
          s
            .message(1, (cap) => cap.string(1, 'NET_BIND_SERVICE').string(2, 'ALL'))
            .varint(2, false)
            .varint(4, 0)
            .varint(5, true)
            .varint(7, false),
        );
        c.varint(16, false).varint(17, false).varint(18, false);
      });
      spec.string(3, 'Always').varint(4, 30).string(6, 'ClusterFirst').string(8, 'default').string(10, '');
      spec.varint(11, false);
      spec.message(14, (sc) => {
        sc.varint(2, 1000).varint(3, true);
        // supplementalGroups (repeated int64) packed: parsers must accept it.
        sc.tag(4, 2).rawVarint(3).rawVarint(1).rawVarint(2).rawVarint(3);
        sc.varint(5, 2000);
      });
      spec.message(22, (t) =>
        t.string(1, 'node.kubernetes.io/not-ready').string(2, 'Exists').string(4, 'NoExecute').varint(5, 300),
      );
      spec.varint(25, -5);
    });
    pod.message(3, (st) => {
      st.string(1, 'Running');
      st.message(2, (c) =>
        c
          .string(1, 'Ready')
          .string(2, 'True')
          .message(3, () => undefined)
          .message(4, timestamp(T, 999)),
      );
      st.string(5, '10.0.0.1').string(6, '10.244.0.7').message(7, timestamp(T));
      st.message(8, (cs) =>
        cs
          .string(1, 'app')
          .message(2, (s) => s.message(2, (r) => r.message(1, timestamp(T + 2))))
          .message(3, () => undefined)
          .varint(4, true)
          .varint(5, 0)
          .string(6, 'nginx:1.27')
          .string(7, '')
          .string(8, '')
          .varint(9, true),
      );
      st.string(9, 'Burstable');
    });
  });

  test('decodes spec, probes, volumes, security context and status as their JSON form', () => {
    assert.deepStrictEqual(decodeKubernetesProtobuf(body), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'web-0',
        namespace: 'development',
        creationTimestamp: null,
        labels: { app: 'web' },
        ownerReferences: [
          { kind: 'ReplicaSet', name: 'web-5d4f', uid: 'uid-1', apiVersion: 'apps/v1', controller: true },
        ],
      },
      spec: {
        volumes: [
          {
            name: 'config',
            configMap: {
              name: 'app-config',
              items: [{ key: 'a', path: 'a.txt', mode: 256 }],
              defaultMode: 420,
            },
          },
          { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
        ],
        containers: [
          {
            name: 'app',
            image: 'nginx:1.27',
            command: ['nginx'],
            args: ['-g', 'daemon off;'],
            ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
            env: [
              { name: 'LEVEL', value: 'debug' },
              { name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
            ],
            resources: { limits: { memory: '128Mi' }, requests: { cpu: '250m' } },
            volumeMounts: [{ name: 'config', readOnly: true, mountPath: '/etc/app' }],
            livenessProbe: {
              httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' },
              timeoutSeconds: 1,
              periodSeconds: 10,
              successThreshold: 1,
              failureThreshold: 3,
            },
            readinessProbe: { tcpSocket: { port: 'http' }, initialDelaySeconds: 5 },
            startupProbe: { exec: { command: ['cat', '/tmp/ready'] } },
            terminationMessagePath: '/dev/termination-log',
            imagePullPolicy: 'IfNotPresent',
            securityContext: {
              capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
              privileged: false,
              runAsUser: 0,
              runAsNonRoot: true,
              allowPrivilegeEscalation: false,
            },
          },
        ],
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 30,
        dnsPolicy: 'ClusterFirst',
        serviceAccountName: 'default',
        securityContext: {
          runAsUser: 1000,
          runAsNonRoot: true,
          supplementalGroups: [1, 2, 3],
          fsGroup: 2000,
        },
        tolerations: [
          {
            key: 'node.kubernetes.io/not-ready',
            operator: 'Exists',
            effect: 'NoExecute',
            tolerationSeconds: 300,
          },
        ],
        priority: -5,
      },
      status: {
        phase: 'Running',
        conditions: [
          { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-11-25T08:00:13Z' },
        ],
        hostIP: '10.0.0.1',
        podIP: '10.244.0.7',
        startTime: '2026-11-25T08:00:13Z',
        containerStatuses: [
          {
            name: 'app',
            state: { running: { startedAt: '2026-11-25T08:00:15Z' } },
            lastState: {},
            ready: true,
            restartCount: 0,
            image: 'nginx:1.27',
            imageID: '',
            started: true,
          },
        ],
        qosClass: 'Burstable',
      },
    });
  });
});
