import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Service } from 'kubernetes-types/core/v1';
import { type FieldError, formatFieldError } from '../../validation/field.js';
import { nameIsDNS1035Label } from '../../validation/names.js';
import { createErrors } from '../../validation/testing/pipeline.js';
import { defaultService } from './defaults.js';
import { validateService, validateServiceUpdate } from './validation.js';

const msgs = (errs: FieldError[]): string[] => errs.map(formatFieldError);
const SERVICE = { namespaced: true, name: nameIsDNS1035Label, validate: validateService };

function svc(spec: Service['spec'], name = 'web'): Service {
  const s: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec };
  defaultService(s);
  return s;
}

describe('defaultService', () => {
  test('`kubectl expose` style ClusterIP service', () => {
    assert.deepEqual(svc({ selector: { app: 'web' }, ports: [{ port: 80 }] }).spec, {
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      selector: { app: 'web' },
      sessionAffinity: 'None',
      type: 'ClusterIP',
    });
  });
  test('NodePort and LoadBalancer', () => {
    const np = svc({ type: 'NodePort', ports: [{ port: 80, targetPort: 'http' }] }).spec!;
    assert.equal(np.externalTrafficPolicy, 'Cluster');
    assert.equal(np.ports![0]!.targetPort, 'http');
    const lb = svc({ type: 'LoadBalancer', ports: [{ port: 443 }] }).spec!;
    assert.equal(lb.allocateLoadBalancerNodePorts, true);
  });
  test('ClientIP affinity gets its default timeout', () => {
    assert.deepEqual(
      svc({ sessionAffinity: 'ClientIP', ports: [{ port: 80 }] }).spec!.sessionAffinityConfig,
      {
        clientIP: { timeoutSeconds: 10800 },
      },
    );
  });
  test('ExternalName gets no IP families', () => {
    const spec = svc({ type: 'ExternalName', externalName: 'example.com' }).spec!;
    assert.equal(spec.ipFamilies, undefined);
    assert.equal(spec.internalTrafficPolicy, undefined);
  });
});

describe('validateService', () => {
  test('valid and headless services', () => {
    assert.deepEqual(validateService(svc({ selector: { app: 'web' }, ports: [{ port: 80 }] })), []);
    assert.deepEqual(validateService(svc({ clusterIP: 'None', selector: { app: 'db' } })), []);
  });
  const cases: [string, Service['spec'], string[], string?][] = [
    ['ports required unless headless', { selector: { app: 'web' } }, ['spec.ports: Required value']],
    [
      'port ranges and names',
      { ports: [{ port: 0 }, { port: 70000, name: 'web', targetPort: 70000 }] },
      [
        'spec.ports[0].name: Required value',
        'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
        'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
        'spec.ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
        'spec.ports[1].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      ],
    ],
    [
      'nodePort on a ClusterIP service',
      { ports: [{ port: 80, nodePort: 30080 }] },
      ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    ],
    [
      'headless NodePort, duplicate ports',
      {
        type: 'NodePort',
        clusterIP: 'None',
        ports: [
          { port: 80, name: 'a' },
          { port: 80, name: 'b' },
        ],
      },
      [
        'spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for NodePort services',
        'spec.ports[1]: Duplicate value: {"protocol":"TCP","port":80}',
      ],
    ],
    [
      'ExternalName needs a DNS name',
      { type: 'ExternalName', externalName: 'Not A Host' },
      [
        `spec.externalName: Invalid value: "Not A Host": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
    ],
    [
      'externalIPs must be routable',
      { ports: [{ port: 80 }], externalIPs: ['127.0.0.1'] },
      [
        'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      ],
    ],
    [
      'unknown type',
      { type: 'Internal', ports: [{ port: 80 }] },
      [
        'spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      ],
    ],
    [
      'bad clusterIP',
      { clusterIP: '10.0.0.300', ports: [{ port: 80 }] },
      [
        'spec.clusterIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      ],
    ],
    [
      'a service name must be a DNS-1035 label',
      { ports: [{ port: 80 }] },
      [
        `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
      ],
      '1web',
    ],
  ];
  for (const [name, spec, want, svcName] of cases) {
    test(name, () => assert.deepEqual(createErrors(SERVICE, svc(spec, svcName)), want));
  }
});

describe('validateServiceUpdate', () => {
  test('clusterIP may not change once set', () => {
    const old = svc({ clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80 }] });
    old.metadata = { ...old.metadata, resourceVersion: '2' };
    const next = structuredClone(old);
    next.spec!.clusterIP = '10.96.0.11';
    next.spec!.clusterIPs = ['10.96.0.11'];
    assert.deepEqual(msgs(validateServiceUpdate(next, old)), [
      'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set',
    ]);
    const same = structuredClone(old);
    same.spec!.ports![0]!.port = 8080;
    assert.deepEqual(validateServiceUpdate(same, old), []);
  });
});
