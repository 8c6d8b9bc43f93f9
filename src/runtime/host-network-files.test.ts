import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HOST_NETWORK_HOSTS_HEADER, renderHostNetworkHostsFile } from './host-network-files.js';

describe('renderHostNetworkHostsFile (kubelet nodeHostsFileContent)', () => {
  const host = '127.0.0.1\tlocalhost\n192.0.2.2\tvm\n';

  test("the header, then the host's file verbatim", () => {
    assert.equal(
      renderHostNetworkHostsFile(host),
      '# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n192.0.2.2\tvm\n',
    );
  });

  test('hostAliases follow, as for a pod on the bridge; a missing final newline is added first', () => {
    const out = renderHostNetworkHostsFile('127.0.0.1 localhost', [
      { ip: '10.1.2.3', hostnames: ['foo.local', 'bar.local'] },
    ]);
    assert.equal(
      out,
      `${HOST_NETWORK_HOSTS_HEADER}127.0.0.1 localhost\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo.local\tbar.local\n`,
    );
  });
});
