import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderHostsFile, renderResolvConf } from './pod-dns-files.js';

test('hosts file as kubelet writes it, with hostname/subdomain and host aliases', () => {
  assert.equal(
    renderHostsFile({
      podIP: '10.244.0.5',
      hostname: 'web-0',
      hostDomain: 'web.default.svc.cluster.local',
      hostAliases: [{ ip: '1.2.3.4', hostnames: ['a', 'b'] }],
    }),
    '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' +
      'fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n' +
      '10.244.0.5\tweb-0.web.default.svc.cluster.local\tweb-0\n\n# Entries added by HostAliases.\n1.2.3.4\ta\tb\n',
  );
  assert.match(renderHostsFile({ podIP: '10.244.0.6', hostname: 'p' }), /\n10\.244\.0\.6\tp\n$/);
});

test('resolv.conf: search, nameservers, options', () => {
  assert.equal(
    renderResolvConf({
      servers: ['10.96.0.10'],
      searches: ['ns.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
      options: ['ndots:5'],
    }),
    'search ns.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
  );
  assert.equal(renderResolvConf({ servers: ['1.1.1.1'], searches: [], options: [] }), 'nameserver 1.1.1.1\n');
});
