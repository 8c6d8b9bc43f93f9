/**
 * Golden-file tests of the rule generator: each case's objects render to exactly
 * testdata/<case>.nft (regenerate with PODBAY_UPDATE_GOLDEN=1 after reviewing a change),
 * and every golden file passes `nft -c` (a syntax and semantics check that changes nothing).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { endpointSlice, notReady, ready, type SliceContent } from '../testing/slices.js';
import { computeProxyPlan } from './model.js';
import { DEFAULT_MASQUERADE_MARK, renderRuleset } from './ruleset.js';

/** testdata/ lives beside the source; the compiled test walks up from wherever it was built. */
function goldenDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== '/'; dir = dirname(dir)) {
    const candidate = join(dir, 'src/network/proxy/testdata');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('src/network/proxy/testdata not found above the test file');
}

const svc = (name: string, spec: Service['spec']): Service => ({
  metadata: { name, namespace: 'apps' },
  spec,
});
const slice = (service: string, content: SliceContent): EndpointSlice =>
  endpointSlice('apps', service, content);

interface Case {
  services: Service[];
  slices: EndpointSlice[];
  pods: Pod[];
}

const cases: Record<string, Case> = {
  empty: { services: [], slices: [], pods: [] },
  'clusterip-named-ports': {
    services: [
      svc('web', {
        clusterIP: '10.96.0.20',
        ports: [
          { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
          { name: 'metrics', port: 9090, targetPort: 9100, protocol: 'TCP' },
          { name: 'dns', port: 53, targetPort: 5353, protocol: 'UDP' },
        ],
      }),
      svc('headless', { clusterIP: 'None', ports: [{ port: 80 }] }),
      svc('ext', { type: 'ExternalName', externalName: 'example.test' }),
    ],
    slices: [
      slice('web', {
        endpoints: [ready('10.244.0.6'), ready('10.244.0.5'), notReady('10.244.0.7')],
        ports: [
          { name: 'http', port: 8080, protocol: 'TCP' },
          { name: 'metrics', port: 9100, protocol: 'TCP' },
          { name: 'dns', port: 5353, protocol: 'UDP' },
        ],
      }),
      slice('headless', { endpoints: [ready('10.244.0.9')], ports: [{ port: 80, protocol: 'TCP' }] }),
    ],
    pods: [],
  },
  'affinity-nodeport': {
    services: [
      svc('sticky', {
        type: 'NodePort',
        clusterIP: '10.96.0.30',
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
        ports: [{ port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }],
      }),
    ],
    slices: [
      slice('sticky', {
        endpoints: [ready('10.244.0.5'), ready('10.244.0.6')],
        ports: [{ port: 8080, protocol: 'TCP' }],
      }),
    ],
    pods: [],
  },
  'no-endpoints-reject': {
    services: [
      svc('idle', {
        type: 'NodePort',
        clusterIP: '10.96.0.40',
        ports: [{ port: 80, nodePort: 30081, protocol: 'TCP' }],
      }),
      svc('unready', { clusterIP: '10.96.0.41', ports: [{ port: 6379, protocol: 'TCP' }] }),
    ],
    slices: [
      slice('unready', { endpoints: [notReady('10.244.0.5')], ports: [{ port: 6379, protocol: 'TCP' }] }),
    ],
    pods: [],
  },
  hostport: {
    services: [],
    slices: [],
    pods: [
      {
        metadata: { name: 'edge', namespace: 'apps' },
        spec: {
          containers: [
            {
              name: 'c',
              image: 'nginx',
              ports: [{ containerPort: 80, hostPort: 8081, protocol: 'TCP' }, { containerPort: 443 }],
            },
          ],
        },
        status: { phase: 'Running', podIP: '10.244.0.12' },
      },
      {
        metadata: { name: 'pinned', namespace: 'apps' },
        spec: {
          containers: [
            {
              name: 'c',
              image: 'x',
              ports: [{ containerPort: 53, hostPort: 5353, hostIP: '127.0.0.1', protocol: 'UDP' }],
            },
          ],
        },
        status: { phase: 'Running', podIP: '10.244.0.13' },
      },
      {
        metadata: { name: 'pending', namespace: 'apps' },
        spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8082 }] }] },
        status: { phase: 'Pending' },
      },
    ],
  },
};

const options = { table: 'podbay', podCidr: '10.244.0.0/16', masqueradeMark: DEFAULT_MASQUERADE_MARK };

describe('nftables ruleset generator (golden files)', () => {
  const dir = goldenDir();
  for (const [name, c] of Object.entries(cases)) {
    test(name, () => {
      const text = renderRuleset(computeProxyPlan(c.services, c.slices, c.pods), options);
      const file = join(dir, `${name}.nft`);
      if (process.env.PODBAY_UPDATE_GOLDEN === '1') writeFileSync(file, text);
      assert.equal(text, readFileSync(file, 'utf8'));
      // `nft -c` parses and evaluates against the kernel without committing anything.
      execFileSync('nft', ['-c', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    });
  }

  test('the same objects in another order render the same text', () => {
    const c = cases['clusterip-named-ports']!;
    const a = renderRuleset(computeProxyPlan(c.services, c.slices, c.pods), options);
    const b = renderRuleset(
      computeProxyPlan([...c.services].reverse(), [...c.slices].reverse(), c.pods),
      options,
    );
    assert.equal(a, b);
  });
});
