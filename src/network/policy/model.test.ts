import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Namespace, Pod } from 'kubernetes-types/core/v1';
import type { NetworkPolicy, NetworkPolicySpec } from 'kubernetes-types/networking/v1';
import { intervalElement, ipBlockIntervals, union } from './intervals.js';
import { clusterDnsPeer, computeEnforcementPlan, type EnforcementPlan } from './model.js';
import { renderPolicyRuleset } from './ruleset.js';

const ns = (name: string, labels: Record<string, string> = {}): Namespace => ({
  metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
});
const pod = (
  namespace: string,
  name: string,
  ip: string | undefined,
  labels: Record<string, string>,
  ports: { name: string; containerPort: number; protocol?: 'TCP' | 'UDP' }[] = [],
  extra: Partial<Pod['spec']> = {},
): Pod => ({
  metadata: { namespace, name, labels },
  spec: { containers: [{ name: 'c', ports }], ...extra },
  status: { phase: 'Running', ...(ip ? { podIP: ip } : {}) },
});
const policy = (namespace: string, name: string, spec: Partial<NetworkPolicySpec>): NetworkPolicy => ({
  metadata: { namespace, name },
  spec: { podSelector: {}, ...spec },
});

const NAMESPACES = [ns('default'), ns('prod', { team: 'a' }), ns('kube-system')];
const PODS = [
  pod('default', 'db', '10.244.0.5', { app: 'db' }, [{ name: 'pg', containerPort: 5432 }]),
  pod('default', 'web', '10.244.0.6', { app: 'web' }, [{ name: 'pg', containerPort: 6432 }]),
  pod('default', 'client', '10.244.0.7', { role: 'client' }),
  pod('prod', 'client', '10.244.0.8', { role: 'client' }),
  pod('prod', 'other', '10.244.0.9', { role: 'other' }),
  pod('default', 'pending', undefined, { app: 'db' }),
  pod('default', 'host', '192.168.1.2', { app: 'db' }, [], { hostNetwork: true }),
];
const DNS = clusterDnsPeer('10.244.0.1');
const plan = (...policies: NetworkPolicy[]): EnforcementPlan =>
  computeEnforcementPlan({ policies, pods: PODS, namespaces: NAMESPACES, clusterDns: DNS });

describe('intervals', () => {
  test('an ipBlock is its CIDR minus the excepts; pods and blocks merge without overlap', () => {
    const block = ipBlockIntervals('10.0.0.0/8', ['10.244.0.0/16', '10.1.2.0/24']);
    assert.deepEqual(block.map(intervalElement).sort(), [
      '10.0.0.0-10.1.1.255',
      '10.1.3.0-10.243.255.255',
      '10.245.0.0-10.255.255.255',
    ]);
    const merged = union([
      ...block,
      [ipInt('10.244.0.5'), ipInt('10.244.0.5')],
      [ipInt('10.1.1.0'), ipInt('10.1.1.9')],
    ]);
    assert.deepEqual(merged.map(intervalElement), [
      '10.0.0.0-10.1.1.255',
      '10.1.3.0-10.243.255.255',
      '10.244.0.5',
      '10.245.0.0-10.255.255.255',
    ]);
    // Adjacent single addresses join into one range.
    assert.deepEqual(
      union([
        [5, 5],
        [6, 6],
        [8, 8],
      ]).map(intervalElement),
      ['0.0.0.5-0.0.0.6', '0.0.0.8'],
    );
  });
});

function ipInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

describe('computeEnforcementPlan', () => {
  const cases: {
    name: string;
    policies: NetworkPolicy[];
    want: Partial<EnforcementPlan> & { rules?: unknown };
  }[] = [
    {
      name: 'default deny ingress: every running pod of the namespace with an IP, no rules',
      policies: [policy('default', 'deny', { policyTypes: ['Ingress'] })],
      want: { ingressIsolated: ['10.244.0.5', '10.244.0.6', '10.244.0.7'], egressIsolated: [] },
    },
    {
      name: 'policyTypes unset: Ingress, plus Egress when egress rules exist',
      policies: [policy('prod', 'p', { egress: [{}] })],
      want: { ingressIsolated: ['10.244.0.8', '10.244.0.9'], egressIsolated: ['10.244.0.8', '10.244.0.9'] },
    },
    {
      name: 'egress only leaves ingress alone',
      policies: [
        policy('default', 'e', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Egress'] }),
      ],
      want: { ingressIsolated: [], egressIsolated: ['10.244.0.5'] },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = plan(...c.policies);
      assert.deepEqual(got.ingressIsolated, c.want.ingressIsolated);
      assert.deepEqual(got.egressIsolated, c.want.egressIsolated);
    });
  }

  const ruleCases: { name: string; spec: Partial<NetworkPolicySpec>; ingress?: unknown; egress?: unknown }[] =
    [
      {
        name: 'podSelector peer: the same namespace only',
        spec: { ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }] }] },
        ingress: [{ peers: ['10.244.0.7'] }],
      },
      {
        name: 'namespaceSelector peer: every pod of the matching namespaces',
        spec: { ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }] }] },
        ingress: [{ peers: ['10.244.0.8-10.244.0.9'] }],
      },
      {
        name: 'both selectors in one peer: matching pods of matching namespaces',
        spec: {
          ingress: [
            {
              from: [
                {
                  namespaceSelector: { matchLabels: { team: 'a' } },
                  podSelector: { matchLabels: { role: 'client' } },
                },
              ],
            },
          ],
        },
        ingress: [{ peers: ['10.244.0.8'] }],
      },
      {
        name: 'a selector matching nothing: an empty peer set (the rule allows nothing)',
        spec: { ingress: [{ from: [{ podSelector: { matchLabels: { role: 'nobody' } } }] }] },
        ingress: [{ peers: [] }],
      },
      {
        name: 'ipBlock with except, merged with pod peers; pod IPs inside the block count',
        spec: {
          ingress: [
            {
              from: [
                { ipBlock: { cidr: '10.244.0.0/24', except: ['10.244.0.8/29'] } },
                { podSelector: { matchLabels: { role: 'client' } } },
              ],
            },
          ],
        },
        ingress: [{ peers: ['10.244.0.0-10.244.0.7', '10.244.0.16-10.244.0.255'] }],
      },
      {
        name: 'ports: number, range, protocol only; a named port resolves on the target pods',
        spec: {
          podSelector: { matchLabels: { app: 'db' } },
          ingress: [
            {
              ports: [
                { protocol: 'TCP', port: 80 },
                { protocol: 'TCP', port: 1000, endPort: 2000 },
                { protocol: 'UDP' },
                { protocol: 'TCP', port: 'pg' },
                { protocol: 'UDP', port: 'pg' },
              ],
            },
          ],
        },
        ingress: [
          {
            ports: [
              { protocol: 'tcp', range: [80, 80] },
              { protocol: 'tcp', range: [1000, 2000] },
              { protocol: 'udp' },
              { protocol: 'tcp', named: ['10.244.0.5 . 5432'] },
              { protocol: 'udp', named: [] },
            ],
          },
        ],
      },
      {
        name: 'egress named port resolves on the peer pods',
        spec: {
          podSelector: { matchLabels: { role: 'client' } },
          policyTypes: ['Egress'],
          egress: [{ to: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: 'pg' }] }],
        },
        egress: [
          {
            peers: ['10.244.0.5-10.244.0.7'],
            ports: [{ protocol: 'tcp', named: ['10.244.0.5 . 5432', '10.244.0.6 . 6432'] }],
          },
        ],
      },
      {
        name: 'egress to the cluster DNS by namespace and pod labels opens only 53/UDP and 53/TCP on the gateway',
        spec: {
          policyTypes: ['Egress'],
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
                },
              ],
              ports: [
                { protocol: 'UDP', port: 53 },
                { protocol: 'TCP', port: 'dns-tcp' },
              ],
            },
          ],
        },
        egress: [
          {
            peers: [],
            ports: [
              { protocol: 'udp', range: [53, 53] },
              { protocol: 'tcp', named: [] },
            ],
            dns: [
              { protocol: 'udp', port: 53 },
              { protocol: 'tcp', port: 53 },
            ],
          },
        ],
      },
      {
        name: 'a peer in the policy namespace does not select the DNS pseudo-pod',
        spec: { policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }] },
        egress: [{ peers: ['10.244.0.5-10.244.0.7'] }],
      },
    ];
  for (const c of ruleCases) {
    test(c.name, () => {
      const [p] = plan(policy('default', 'p', c.spec)).policies;
      if (c.ingress) assert.deepEqual(p!.ingress, c.ingress);
      if (c.egress) assert.deepEqual(p!.egress, c.egress);
    });
  }
});

describe('renderPolicyRuleset', () => {
  const o = { table: 'podbay-policy', gatewayIP: '10.244.0.1' };

  test('pods are set elements; one rule per rule and port entry; unresolved named ports and empty peers emit none', () => {
    const text = renderPolicyRuleset(
      plan(
        policy('default', 'db', {
          podSelector: { matchLabels: { app: 'db' } },
          ingress: [
            {
              from: [{ podSelector: { matchLabels: { role: 'client' } } }],
              ports: [
                { protocol: 'TCP', port: 'pg' },
                { protocol: 'UDP', port: 'pg' },
                { protocol: 'TCP', port: 1000, endPort: 2000 },
              ],
            },
            { from: [{ podSelector: { matchLabels: { role: 'nobody' } } }] },
          ],
          egress: [{ ports: [{ protocol: 'UDP', port: 53 }] }],
        }),
      ),
      o,
    );
    const rules = (chain: string) =>
      new RegExp(`chain ${chain} \\{\\n([\\s\\S]*?)\\n\\t\\}`).exec(text)![1]!.trim().split(/\n\s*/);
    const T = '@np-e8853f44-default/db-targets';
    assert.match(
      text,
      /set np-e8853f44-default\/db-targets \{\n\t\ttype ipv4_addr\n\t\telements = \{ 10\.244\.0\.5 \}/,
    );
    assert.match(
      text,
      /set np-e8853f44-default\/db-in0 \{\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = \{ 10\.244\.0\.7 \}/,
    );
    assert.doesNotMatch(text, /db-in1/);
    assert.deepEqual(rules('ingress-default'), [
      `ip daddr ${T} ip saddr @np-e8853f44-default/db-in0 meta l4proto tcp ip daddr . th dport { 10.244.0.5 . 5432 } accept`,
      `ip daddr ${T} ip saddr @np-e8853f44-default/db-in0 meta l4proto tcp th dport 1000-2000 accept`,
      'counter drop',
    ]);
    assert.deepEqual(rules('egress-default'), [
      `ip saddr ${T} meta l4proto udp th dport 53 return`,
      'counter drop',
    ]);
    assert.deepEqual(rules('forward'), [
      'type filter hook forward priority filter; policy accept;',
      'ct state established,related accept',
      'ip saddr vmap @egress-isolated',
      'ip daddr vmap @ingress-isolated',
    ]);
    // Isolated pods dispatch to their namespace's chains.
    assert.match(
      text,
      /map ingress-isolated \{\n\t\ttype ipv4_addr : verdict\n\t\telements = \{ 10\.244\.0\.5 : goto ingress-default \}/,
    );
    assert.match(
      text,
      /map egress-isolated \{\n\t\ttype ipv4_addr : verdict\n\t\telements = \{ 10\.244\.0\.5 : jump egress-default \}/,
    );
  });

  test('set names start with a letter even when the hash starts with a digit (nft reads a number)', () => {
    const text = renderPolicyRuleset(plan(policy('default', 'deny', {})), o);
    assert.match(text, /\tset np-02d49a56-default\/deny-targets \{/);
  });

  test("a packet walks only its namespace's rules", () => {
    const text = renderPolicyRuleset(
      plan(
        policy('default', 'a', { ingress: [{ ports: [{ protocol: 'TCP', port: 80 }] }] }),
        policy('prod', 'b', { ingress: [{ ports: [{ protocol: 'TCP', port: 81 }] }] }),
      ),
      o,
    );
    const chain = (name: string) => new RegExp(`chain ${name} \\{\\n([\\s\\S]*?)\\n\\t\\}`).exec(text)![1]!;
    assert.match(chain('ingress-default'), /dport 80 accept/);
    assert.doesNotMatch(chain('ingress-default'), /dport 81/);
    assert.match(chain('ingress-prod'), /dport 81 accept/);
    assert.match(text, /10\.244\.0\.8 : goto ingress-prod/);
  });

  test('the DNS pseudo-pod becomes gateway rules; the rule count does not grow with pods', () => {
    const dnsPolicy = policy('default', 'dns', {
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }] }],
    });
    const small = renderPolicyRuleset(plan(dnsPolicy), o);
    assert.match(small, /ip daddr 10\.244\.0\.1 meta l4proto udp th dport 53 return/);
    assert.doesNotMatch(small, /ip daddr 10\.244\.0\.1 meta l4proto tcp/);
    const many = Array.from({ length: 200 }, (_, i) =>
      pod('default', `p${i}`, `10.244.${1 + Math.floor(i / 200)}.${i % 200}`, { role: 'client' }),
    );
    const big = renderPolicyRuleset(
      computeEnforcementPlan({
        policies: [dnsPolicy],
        pods: [...PODS, ...many],
        namespaces: NAMESPACES,
        clusterDns: DNS,
      }),
      o,
    );
    const ruleCount = (t: string) => t.split('\n').filter((l) => /^\t\t(ip|meta|ct|counter)/.test(l)).length;
    assert.equal(ruleCount(big), ruleCount(small));
  });
});
