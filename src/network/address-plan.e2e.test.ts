/**
 * A non-default address plan end to end (root, stock kubectl): pods get addresses from
 * --pod-cidr, their resolv.conf names the cluster DNS address derived from --service-cidr, and
 * cluster names resolve to that range through it; --pod-max-pids reaches the pod's cgroup.
 * Stopping leaves the machine clean.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TestServer, waitFor } from '../../test/e2e/harness.js';
import { assertMachineClean, buildShim } from '../runtime/testing/harness.js';

const POD = `apiVersion: v1
kind: Pod
metadata: { name: probe }
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - { name: sh, image: busybox, command: [sleep, '3600'] }
`;

describe('a custom address plan and pids limit with running pods (kubectl, root)', {
  timeout: 120_000,
}, () => {
  const srv = new TestServer();
  before(async () => {
    buildShim();
    await srv.start('127.0.0.1:0', [
      '--run-pods',
      '--cleanup-on-exit',
      '--pod-cidr',
      '10.124.0.0/20',
      '--service-cidr',
      '10.123.0.0/24',
      '--pod-max-pids',
      '128',
    ]);
  });
  after(async () => {
    const code = await srv.stop('SIGTERM');
    try {
      assertMachineClean(srv.dataDir);
      assert.equal(code, 0, srv.stderr.slice(-2000));
    } finally {
      await srv.destroy();
    }
  });

  test('pod IPs, resolv.conf and cluster names follow the plan', async () => {
    await srv.k(['apply', '-f', '-'], POD);
    await srv.k(['wait', '--for=condition=Ready', 'pod/probe', '--timeout=60s']);
    const podIP = (await srv.k(['get', 'pod', 'probe', '-o', 'jsonpath={.status.podIP}'])).trim();
    assert.match(podIP, /^10\.124\.(\d|1[0-5])\.\d+$/, podIP);
    const resolv = await srv.k(['exec', 'probe', '--', 'cat', '/etc/resolv.conf']);
    assert.match(resolv, /^nameserver 10\.123\.0\.10$/m);
    let answer = '';
    await waitFor(async () => {
      const r = await srv.kubectl([
        'exec',
        'probe',
        '--',
        'nslookup',
        'kubernetes.default.svc.cluster.local',
      ]);
      answer = r.stdout;
      return r.code === 0 && /Address:\s*10\.123\.0\.1$/m.test(r.stdout);
    }, `nslookup through 10.123.0.10 (last answer: ${answer})`);
    const uid = (await srv.k(['get', 'pod', 'probe', '-o', 'jsonpath={.metadata.uid}'])).trim();
    const cgroups = existsSync('/sys/fs/cgroup/cgroup.controllers')
      ? '/sys/fs/cgroup/podbay'
      : '/sys/fs/cgroup/pids/podbay';
    const limits = readdirSync(cgroups)
      .filter((id) => existsSync(join(srv.dataDir, 'runtime', 'sandboxes', id, 'sandbox.json')))
      .filter((id) =>
        readFileSync(join(srv.dataDir, 'runtime', 'sandboxes', id, 'sandbox.json'), 'utf8').includes(uid),
      )
      .map((id) => readFileSync(join(cgroups, id, 'pids.max'), 'utf8').trim());
    assert.deepEqual(limits, ['128']);
    await srv.k(['delete', 'pod', 'probe', '--grace-period=0', '--wait=true']);
  });
});
