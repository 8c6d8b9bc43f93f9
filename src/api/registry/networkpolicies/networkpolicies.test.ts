import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NetworkPolicy, NetworkPolicySpec } from 'kubernetes-types/networking/v1';
import { type FieldError, formatFieldError } from '../../validation/field.js';
import { NOW } from '../printers/testing/pod-fixtures.js';
import { parseGoCidr } from './cidr.js';
import { defaultNetworkPolicy } from './defaults.js';
import { networkPolicyTable } from './table.js';
import { validateNetworkPolicy, validateNetworkPolicyUpdate } from './validation.js';

const msgs = (errs: FieldError[]): string[] => errs.map(formatFieldError);
const np = (spec: Partial<NetworkPolicySpec>): NetworkPolicy => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'np', namespace: 'default' },
  spec: { podSelector: {}, ...spec },
});

describe('defaultNetworkPolicy (SetDefaults_NetworkPolicy, SetDefaults_NetworkPolicyPort)', () => {
  test('policyTypes: Ingress always, Egress only with egress rules; explicit ones kept', () => {
    const cases: [Partial<NetworkPolicySpec>, string[]][] = [
      [{}, ['Ingress']],
      [{ egress: [] }, ['Ingress']],
      [{ egress: [{}] }, ['Ingress', 'Egress']],
      [{ policyTypes: ['Egress'] }, ['Egress']],
    ];
    for (const [spec, want] of cases) {
      const p = np(spec);
      defaultNetworkPolicy(p);
      assert.deepEqual(p.spec!.policyTypes, want, JSON.stringify(spec));
    }
  });
  test('ports without a protocol get TCP, in ingress and egress rules', () => {
    const p = np({
      ingress: [{ ports: [{ port: 80 }, { protocol: 'UDP', port: 53 }] }],
      egress: [{ ports: [{}] }],
    });
    defaultNetworkPolicy(p);
    assert.deepEqual(p.spec!.ingress![0]!.ports, [
      { port: 80, protocol: 'TCP' },
      { protocol: 'UDP', port: 53 },
    ]);
    assert.deepEqual(p.spec!.egress![0]!.ports, [{ protocol: 'TCP' }]);
  });
});

describe('validateNetworkPolicy (ValidateNetworkPolicySpec, 1.32 messages)', () => {
  const cases: [string, Partial<NetworkPolicySpec>, string[]][] = [
    [
      'a full valid policy',
      {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [
          {
            from: [
              { podSelector: { matchLabels: { role: 'client' } }, namespaceSelector: {} },
              { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
            ],
            ports: [
              { protocol: 'TCP', port: 5432 },
              { port: 'http' },
              { protocol: 'SCTP', port: 1000, endPort: 2000 },
            ],
          },
        ],
        egress: [{ to: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } }] }],
        policyTypes: ['Ingress', 'Egress'],
      },
      [],
    ],
    [
      'protocol',
      { ingress: [{ ports: [{ protocol: 'ICMP', port: 1 }] }] },
      [
        'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
      ],
    ],
    [
      'port numbers and endPort',
      {
        egress: [
          {
            ports: [
              { port: 0 },
              { port: 100, endPort: 99 },
              { port: 100, endPort: 70000 },
              { port: 'web', endPort: 90 },
              { endPort: 90 },
              { port: 'web--1' },
            ],
          },
        ],
      },
      [
        'spec.egress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
        'spec.egress[0].ports[1].endPort: Invalid value: 99: must be greater than or equal to `port`',
        'spec.egress[0].ports[2].endPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
        'spec.egress[0].ports[3].endPort: Invalid value: 90: may not be specified when `port` is non-numeric',
        'spec.egress[0].ports[4].endPort: Invalid value: 90: may not be specified when `port` is not specified',
        'spec.egress[0].ports[5].port: Invalid value: "web--1": must not contain consecutive hyphens',
      ],
    ],
    [
      'peers: empty, ipBlock with another peer',
      {
        ingress: [
          {
            from: [{}, { ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }],
          },
        ],
      },
      [
        'spec.ingress[0].from[0]: Required value: must specify a peer',
        'spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer',
      ],
    ],
    [
      'ipBlock cidr and except',
      {
        egress: [
          {
            to: [
              { ipBlock: { cidr: '' } },
              { ipBlock: { cidr: '10.0.0.0' } },
              { ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8', '11.0.0.0/16', '10.1.0.0/16'] } },
              { ipBlock: { cidr: '10.0.0.0/8', except: ['nope', '10.0.0.0/4'] } },
              { ipBlock: { cidr: '192.168.001.0/24' } },
            ],
          },
        ],
      },
      [
        'spec.egress[0].to[0].ipBlock.cidr: Required value',
        'spec.egress[0].to[1].ipBlock.cidr: Invalid value: "10.0.0.0": not a valid CIDR',
        'spec.egress[0].to[2].ipBlock.except[0]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`',
        'spec.egress[0].to[2].ipBlock.except[1]: Invalid value: "11.0.0.0/16": must be a strict subset of `cidr`',
        'spec.egress[0].to[3].ipBlock.except[0]: Invalid value: "nope": not a valid CIDR',
        'spec.egress[0].to[4].ipBlock.cidr: Invalid value: "192.168.001.0/24": not a valid CIDR',
      ],
    ],
    [
      'selectors',
      {
        podSelector: { matchLabels: { 'bad key!': 'x' } },
        ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In' }] } }] }],
      },
      [
        "spec.podSelector.matchLabels: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        "spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      ],
    ],
    [
      'policyTypes',
      { policyTypes: ['Ingress', 'Sideways'] as NetworkPolicySpec['policyTypes'] },
      ['spec.policyTypes[1]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"'],
    ],
    [
      'more than two policyTypes',
      { policyTypes: ['Ingress', 'Egress', 'Ingress'] },
      [
        'spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Ingress"}: may not specify more than two policyTypes',
      ],
    ],
  ];
  for (const [name, spec, want] of cases) {
    test(name, () => assert.deepEqual(msgs(validateNetworkPolicy(np(spec))), want));
  }

  test('update: label values the old podSelector already broke are tolerated', () => {
    const bad = np({
      podSelector: { matchExpressions: [{ key: 'a', operator: 'In', values: ['bad value'] }] },
    });
    assert.equal(validateNetworkPolicy(bad).length, 1);
    assert.deepEqual(validateNetworkPolicyUpdate(bad, bad), []);
    assert.equal(validateNetworkPolicyUpdate(bad, np({})).length, 1);
  });
});

describe('parseGoCidr (net.ParseCIDR)', () => {
  test('host bits allowed and cleared; v6; bad input refused', () => {
    assert.equal(parseGoCidr('10.0.0.1/24')?.network, parseGoCidr('10.0.0.0/24')?.network);
    assert.equal(parseGoCidr('::ffff:10.0.0.0/104')?.family, 6);
    assert.equal(parseGoCidr('2001:db8::/129'), undefined);
    assert.equal(parseGoCidr('10.0.0.0/33'), undefined);
    assert.equal(parseGoCidr('10.0.0.0/'), undefined);
  });
});

describe('networkPolicyTable (printNetworkPolicy)', () => {
  test('Name, Pod-Selector (<none> for all pods), Age', () => {
    assert.deepEqual(
      networkPolicyTable.columns.map((c) => c.name),
      ['Name', 'Pod-Selector', 'Age'],
    );
    const created = { ...np({}), metadata: { name: 'deny', creationTimestamp: '2026-11-25T07:55:00Z' } };
    assert.equal(networkPolicyTable.row(created, NOW)[1], '<none>');
    const sel = np({
      podSelector: { matchLabels: { app: 'db' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
    });
    assert.equal(networkPolicyTable.row(sel, NOW)[1], 'app=db,tier');
  });
});
