import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import { parseResolvConf, podDnsConfig, podSandboxConfig } from './sandbox-config.js';

const pod = (spec: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({
  metadata: { name: 'web', namespace: 'shop', uid: 'u1', labels: { app: 'web' } },
  spec: { containers: [{ name: 'c' }], ...spec },
});

test('ClusterFirst: the cluster DNS IP, the namespace search path and ndots:5', () => {
  assert.deepEqual(podDnsConfig(pod()), {
    servers: ['10.96.0.10'],
    searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
    options: ['ndots:5'],
  });
});

test('dnsConfig is merged: servers and searches appended without duplicates, options by name', () => {
  const dns = podDnsConfig(
    pod({
      dnsConfig: {
        nameservers: ['1.2.3.4', '10.96.0.10'],
        searches: ['corp.example'],
        options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }],
      },
    }),
  );
  assert.deepEqual(dns.servers, ['10.96.0.10', '1.2.3.4']);
  assert.deepEqual(dns.searches.at(-1), 'corp.example');
  assert.deepEqual(dns.options, ['ndots:2', 'edns0']);
});

test('None uses only dnsConfig; Default reads the host resolv.conf', () => {
  assert.deepEqual(podDnsConfig(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['9.9.9.9'] } })), {
    servers: ['9.9.9.9'],
    searches: [],
    options: [],
  });
  const host = 'nameserver 192.168.1.1 # router\nsearch lan\noptions timeout:2\n';
  assert.deepEqual(podDnsConfig(pod({ dnsPolicy: 'Default' }), { hostResolvConf: host }), {
    servers: ['192.168.1.1'],
    searches: ['lan'],
    options: ['timeout:2'],
  });
  assert.deepEqual(parseResolvConf('; only a comment\n'), { servers: [], searches: [], options: [] });
});

test('sandbox config: metadata, hostname, subdomain, hostAliases, shared PID namespace', () => {
  const config = podSandboxConfig(
    pod({
      hostname: 'db-0',
      subdomain: 'db',
      shareProcessNamespace: true,
      hostAliases: [{ ip: '10.0.0.5', hostnames: ['foo.local', 'bar.local'] }],
    }),
    2,
  );
  assert.deepEqual(config.metadata, { name: 'web', namespace: 'shop', uid: 'u1', attempt: 2 });
  assert.equal(config.hostname, 'db-0');
  assert.equal(config.hostDomain, 'db.shop.svc.cluster.local');
  assert.equal(config.shareProcessNamespace, true);
  assert.deepEqual(config.hostAliases, [{ ip: '10.0.0.5', hostnames: ['foo.local', 'bar.local'] }]);
  assert.deepEqual(config.labels, { app: 'web' });
});
