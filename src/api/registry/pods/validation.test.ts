import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Container, HTTPGetAction, Pod, PodSpec } from 'kubernetes-types/core/v1';
import { type FieldError, formatFieldError, invalid } from '../../validation/field.js';
import { nameIsDNSSubdomain } from '../../validation/names.js';
import { POD_UPDATE_FORBIDDEN_MSG } from '../../validation/pod-update.js';
import { updateErrors } from '../../validation/testing/pipeline.js';
import { defaultPod } from './defaults.js';
import { validatePod, validatePodUpdate } from './validation.js';

const msgs = (errs: FieldError[]): string[] => errs.map(formatFieldError);
const POD = {
  namespaced: true,
  name: nameIsDNSSubdomain,
  validate: validatePod,
  validateUpdate: validatePodUpdate,
};

/** A pod as the API server would validate it: defaulted first. */
function pod(spec: Partial<PodSpec>, name = 'x'): Pod {
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec },
  };
  defaultPod(p);
  return p;
}

describe('validatePod', () => {
  test('a defaulted simple pod is valid', () => assert.deepEqual(validatePod(pod({})), []));

  test('kubectl message for a pod with no image', () => {
    const errs = validatePod(pod({ containers: [{ name: 'app' } as Container] }));
    assert.deepEqual(msgs(errs), ['spec.containers[0].image: Required value']);
    const err = invalid('', 'Pod', 'x', errs);
    assert.equal(err.message, 'Pod "x" is invalid: spec.containers[0].image: Required value');
    assert.equal(err.code, 422);
    assert.equal(err.reason, 'Invalid');
  });

  const cases: [string, Partial<PodSpec>, string[]][] = [
    ['no containers', { containers: [] }, ['spec.containers: Required value']],
    [
      'container name required and a DNS label',
      {
        containers: [
          { name: '', image: 'a:1' },
          { name: 'Web_1', image: 'a:1' },
        ],
      },
      [
        'spec.containers[0].name: Required value',
        `spec.containers[1].name: Invalid value: "Web_1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      ],
    ],
    [
      'duplicate names across containers and init containers',
      {
        containers: [
          { name: 'a', image: 'x:1' },
          { name: 'a', image: 'x:1' },
        ],
        initContainers: [{ name: 'a', image: 'x:1' }],
      },
      ['spec.containers[1].name: Duplicate value: "a"', 'spec.initContainers[0].name: Duplicate value: "a"'],
    ],
    [
      'ports out of range, bad names, duplicate names',
      {
        containers: [
          {
            name: 'a',
            image: 'x:1',
            ports: [
              { containerPort: 70000, name: 'http' },
              { containerPort: 81, name: 'http' },
              { containerPort: 82, protocol: 'ICMP', name: 'Metrics' },
            ],
          },
        ],
      },
      [
        'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
        'spec.containers[0].ports[1].name: Duplicate value: "http"',
        'spec.containers[0].ports[2].name: Invalid value: "Metrics": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'spec.containers[0].ports[2].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
      ],
    ],
    [
      'volume mount naming a missing volume',
      { containers: [{ name: 'a', image: 'x:1', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] },
      ['spec.containers[0].volumeMounts[0].name: Not found: "data"'],
    ],
    [
      'requests above limits',
      {
        containers: [
          { name: 'a', image: 'x:1', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } },
        ],
      },
      [
        'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
      ],
    ],
    [
      'memory requests above limits, in canonical units',
      {
        containers: [
          {
            name: 'a',
            image: 'x:1',
            resources: { requests: { memory: '1024Mi' }, limits: { memory: '512Mi' } },
          },
        ],
      },
      [
        'spec.containers[0].resources.requests: Invalid value: "1Gi": must be less than or equal to memory limit of 512Mi',
      ],
    ],
    [
      'unparseable and unknown resources',
      { containers: [{ name: 'a', image: 'x:1', resources: { limits: { cpu: 'lots', gpu: '1' } } }] },
      [
        `spec.containers[0].resources.limits[cpu]: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
        // Defaulting copied the limits into requests, so they are reported there too.
        `spec.containers[0].resources.requests[cpu]: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
        'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      ],
    ],
    [
      'probe without handler, probe with two handlers',
      {
        containers: [
          {
            name: 'a',
            image: 'x:1',
            livenessProbe: { initialDelaySeconds: 3 },
            readinessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } },
          },
        ],
      },
      [
        'spec.containers[0].livenessProbe: Required value: must specify a handler type',
        'spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
      ],
    ],
    [
      'liveness successThreshold must be 1, httpGet port required',
      {
        containers: [
          {
            name: 'a',
            image: 'x:1',
            livenessProbe: { httpGet: { path: '/healthz' } as HTTPGetAction, successThreshold: 2 },
          },
        ],
      },
      [
        'spec.containers[0].livenessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive',
        'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      ],
    ],
    [
      'probes on a plain init container are forbidden',
      {
        initContainers: [{ name: 'init', image: 'x:1', readinessProbe: { exec: { command: ['true'] } } }],
      },
      [
        'spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
      ],
    ],
    [
      'native sidecars may have probes; other init restartPolicy values are refused',
      {
        initContainers: [
          {
            name: 'side',
            image: 'x:1',
            restartPolicy: 'Always',
            readinessProbe: { exec: { command: ['true'] } },
          },
          { name: 'once', image: 'x:1', restartPolicy: 'OnFailure' },
        ],
      },
      ['spec.initContainers[1].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
    ],
    [
      'restartPolicy on a regular container',
      { containers: [{ name: 'a', image: 'x:1', restartPolicy: 'Always' }] },
      ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers'],
    ],
    [
      'pod restartPolicy and dnsPolicy values',
      { restartPolicy: 'Sometimes', dnsPolicy: 'Google' },
      [
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
        'spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
      ],
    ],
    [
      'env: valueFrom without a source, and with a value',
      {
        containers: [
          {
            name: 'a',
            image: 'x:1',
            env: [
              { name: 'A', valueFrom: {} },
              { name: 'B', value: 'x', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
              { name: 'C', valueFrom: { fieldRef: { fieldPath: 'spec.bogus' } } },
            ],
          },
        ],
      },
      [
        'spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
        'spec.containers[0].env[1].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
        'spec.containers[0].env[2].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.bogus": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
      ],
    ],
    [
      'volumes: duplicate names and two sources',
      {
        volumes: [
          { name: 'v', emptyDir: {} },
          { name: 'v', emptyDir: {} },
          { name: 'w', emptyDir: {}, configMap: { name: 'c' } },
        ],
      },
      [
        'spec.volumes[1].name: Duplicate value: "v"',
        'spec.volumes[2].configMap: Forbidden: may not specify more than 1 volume type',
      ],
    ],
    [
      'image with whitespace (pods only)',
      { containers: [{ name: 'a', image: ' nginx' }] },
      ['spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace'],
    ],
    [
      'securityContext ranges and contradictions',
      {
        securityContext: { runAsUser: -1, supplementalGroups: [5, 3000000000] },
        containers: [
          {
            name: 'a',
            image: 'x:1',
            securityContext: {
              allowPrivilegeEscalation: false,
              privileged: true,
              seccompProfile: { type: 'Localhost' },
            },
          },
        ],
      },
      [
        'spec.containers[0].securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost',
        'spec.containers[0].securityContext: Invalid value: {"allowPrivilegeEscalation":false,"privileged":true,"seccompProfile":{"type":"Localhost"}}: cannot set `allowPrivilegeEscalation` to false and `privileged` to true',
        'spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive',
        'spec.securityContext.supplementalGroups[1]: Invalid value: 3000000000: must be between 0 and 2147483647, inclusive',
      ],
    ],
    [
      'node affinity operators and terms',
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    { key: 'disktype', operator: 'Equals', values: ['ssd'] },
                    { key: 'zone', operator: 'In' },
                  ],
                },
              ],
            },
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 0, preference: { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] } },
            ],
          },
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: '' },
            ],
          },
        },
      },
      [
        'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator',
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100',
        'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty',
        'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: "": name part must be non-empty',
        "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ],
    ],
    [
      'dnsPolicy None needs nameservers',
      { dnsPolicy: 'None', dnsConfig: { searches: ['svc.cluster.local'] } },
      [
        'spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None',
      ],
    ],
    [
      'toleration with empty key must use Exists',
      { tolerations: [{ operator: 'Equal', value: 'x' }] },
      [
        'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      ],
    ],
  ];
  for (const [name, spec, want] of cases) {
    test(name, () => assert.deepEqual(msgs(validatePod(pod(spec))), want));
  }
});

describe('validatePodUpdate', () => {
  const stored = (): Pod => {
    const p = pod({});
    p.metadata = { ...p.metadata, resourceVersion: '7', uid: 'u' };
    return p;
  };

  test('changing the image is allowed', () => {
    const old = stored();
    const next = structuredClone(old);
    next.spec!.containers[0]!.image = 'nginx:1.28';
    assert.deepEqual(validatePodUpdate(next, old), []);
  });

  test('adding a toleration and lowering activeDeadlineSeconds are allowed', () => {
    const old = stored();
    old.spec!.activeDeadlineSeconds = 100;
    const next = structuredClone(old);
    next.spec!.activeDeadlineSeconds = 50;
    next.spec!.tolerations!.push({ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' });
    assert.deepEqual(validatePodUpdate(next, old), []);
  });

  test('changing a port is forbidden with upstream message and a diff', () => {
    const old = stored();
    old.spec!.containers[0]!.ports = [{ containerPort: 80, protocol: 'TCP' }];
    const next = structuredClone(old);
    next.spec!.containers[0]!.ports![0]!.containerPort = 8080;
    const errs = validatePodUpdate(next, old);
    assert.equal(errs.length, 1);
    assert.equal(errs[0]!.field, 'spec');
    assert.equal(errs[0]!.type, 'FieldValueForbidden');
    assert.ok(errs[0]!.detail!.startsWith(`${POD_UPDATE_FORBIDDEN_MSG}\n`));
    assert.match(
      errs[0]!.detail!,
      /- \tspec\.containers\[0\]\.ports\[0\]\.containerPort: 80\n\+ \tspec\.containers\[0\]\.ports\[0\]\.containerPort: 8080/,
    );
    assert.match(
      invalid('', 'Pod', 'x', errs).message,
      /^Pod "x" is invalid: spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`,/,
    );
  });

  test('adding a container is forbidden', () => {
    const old = stored();
    const next = structuredClone(old);
    next.spec!.containers.push({ ...structuredClone(old.spec!.containers[0]!), name: 'two' });
    assert.deepEqual(msgs(validatePodUpdate(next, old)), [
      'spec.containers: Forbidden: pod updates may not add or remove containers',
    ]);
  });

  test('raising activeDeadlineSeconds and removing a toleration are refused', () => {
    const old = stored();
    old.spec!.activeDeadlineSeconds = 10;
    const raised = structuredClone(old);
    raised.spec!.activeDeadlineSeconds = 20;
    assert.deepEqual(msgs(validatePodUpdate(raised, old)), [
      'spec.activeDeadlineSeconds: Invalid value: 20: must be less than or equal to previous value',
    ]);
    const fewer = structuredClone(old);
    fewer.spec!.tolerations = [];
    assert.deepEqual(msgs(validatePodUpdate(fewer, old)), [
      'spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds',
    ]);
  });

  test('metadata identity stays immutable', () => {
    const old = stored();
    const next = structuredClone(old);
    next.metadata = { ...next.metadata, uid: 'other' };
    assert.deepEqual(updateErrors(POD, next, old), [
      'metadata.uid: Invalid value: "other": field is immutable',
    ]);
  });
});
