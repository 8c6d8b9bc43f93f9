/**
 * Root test: what a container can and cannot see or do, proven from inside it.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { CAPABILITY_BITS, CONTAINERD_DEFAULT_CAPS } from './capabilities.js';
import { assertMachineClean, createTestRuntime, sandboxConfig, type TestRuntime } from './testing/harness.js';
import type { SecurityContext } from './types.js';

function maskOf(names: readonly string[]): bigint {
  return names.reduce((m, n) => m | (1n << BigInt(CAPABILITY_BITS[n]!)), 0n);
}

describe('container isolation', { timeout: 60_000 }, () => {
  let t: TestRuntime;
  let sandbox = '';
  let n = 0;
  before(async () => {
    t = await createTestRuntime();
    sandbox = await t.rt.runPodSandbox(sandboxConfig('iso'));
  });
  after(async () => {
    const dataDir = t.dataDir;
    await t.close();
    assertMachineClean(dataDir);
  });

  const run = async (securityContext: SecurityContext | undefined, script: string) => {
    const name = `c${n++}`;
    const id = await t.rt.createContainer(sandbox, {
      metadata: { name, attempt: 0 },
      image: 'busybox',
      argv: ['sleep', '60'],
      logPath: `${name}/0.log`,
      ...(securityContext && { securityContext }),
    });
    await t.rt.startContainer(id);
    const r = await t.rt.execSync(id, ['sh', '-c', script]);
    return { id, exitCode: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
  };
  const capField = (out: string, field: string) =>
    BigInt(`0x${new RegExp(`^${field}:\\s+([0-9a-f]+)$`, 'm').exec(out)![1]}`);

  test('the data dir, /root, /home and /etc/shadow are not visible', async () => {
    assert.ok(existsSync(t.dataDir));
    for (const path of [t.dataDir, '/root', '/etc/shadow', '/home']) {
      const r = await run(undefined, `ls -d ${path} || cat ${path}`);
      assert.notEqual(r.exitCode, 0, `${path} must not be visible`);
      assert.match(r.err, /No such file or directory/);
    }
    const keys = await run(undefined, 'ls /etc/ssh/ 2>/dev/null | grep -c key || true');
    assert.equal(keys.out.trim(), '0');
  });

  test('a mount target under a symlink (/var/run -> /run) lands inside the container, never on the host', async () => {
    const probe = `/run/podbay-iso-${process.pid}`;
    assert.ok(!existsSync(probe));
    const name = `m${n++}`;
    const id = await t.rt.createContainer(sandbox, {
      metadata: { name, attempt: 0 },
      image: 'busybox',
      argv: ['sleep', '60'],
      logPath: `${name}/0.log`,
      mounts: [
        {
          hostPath: '/etc/hostname',
          containerPath: `/var/run/podbay-iso-${process.pid}/sub/hostname`,
          readonly: true,
        },
      ],
      tmpfs: [{ containerPath: '/var/run/../var/run/podbay-tmp' }],
    });
    await t.rt.startContainer(id);
    const r = await t.rt.execSync(id, [
      'sh',
      '-c',
      `cat ${probe}/sub/hostname && grep -c podbay-tmp /proc/mounts`,
    ]);
    assert.equal(r.exitCode, 0, r.stderr.toString());
    assert.equal(r.stdout.toString().split('\n')[0], readFileSync('/etc/hostname', 'utf8').trim());
    assert.ok(!existsSync(probe), `${probe} was created on the host`);
    assert.ok(!existsSync('/run/podbay-tmp'), '/run/podbay-tmp was created on the host');
  });

  test("only the container's own processes are visible, as PID 1 onwards", async () => {
    const r = await run(
      undefined,
      'ls /proc | grep -E "^[0-9]+$" | sort -n | head -1; ls /proc | grep -cE "^[0-9]+$"',
    );
    const [first, count] = r.out.trim().split('\n');
    assert.equal(first, '1');
    assert.ok(Number(count) < 10, `saw ${count} processes`);
    const self = await run(undefined, 'cat /proc/1/cmdline | tr "\\0" " "');
    assert.equal(self.out.trim(), 'sleep 60');
  });

  test("containerd's default capabilities, no_new_privs, masked /proc paths, read-only /sys", async () => {
    const r = await run(
      undefined,
      'grep -E "^(Cap|NoNewPrivs)" /proc/self/status; touch /sys/x 2>&1; cat /proc/sys/kernel/hostname; echo x > /proc/sys/kernel/hostname 2>&1; cat /proc/timer_list | wc -c',
    );
    assert.equal(capField(r.out, 'CapEff'), maskOf(CONTAINERD_DEFAULT_CAPS));
    assert.equal(capField(r.out, 'CapBnd'), maskOf(CONTAINERD_DEFAULT_CAPS));
    assert.match(r.out, /^NoNewPrivs:\s+1$/m);
    assert.match(r.out, /touch: .*\/sys\/x.*Read-only file system/);
    assert.match(r.out, /Read-only file system/);
    assert.match(r.out, /^0$/m, '/proc/timer_list must read empty');
  });

  test('capabilities add/drop, runAsUser/runAsGroup/supplementalGroups/fsGroup', async () => {
    const dropped = await run(
      { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } },
      'grep CapEff /proc/self/status',
    );
    assert.equal(capField(dropped.out, 'CapEff'), maskOf(['NET_BIND_SERVICE']));
    const user = await run(
      {
        runAsUser: 1234,
        runAsGroup: 2345,
        supplementalGroups: [3456],
        fsGroup: 4567,
        allowPrivilegeEscalation: true,
      },
      'id -u; id -g; id -G; grep -E "^(CapEff|NoNewPrivs)" /proc/self/status',
    );
    const [uid, gid, groups] = user.out.split('\n');
    assert.equal(uid, '1234');
    assert.equal(gid, '2345');
    assert.deepEqual(groups!.split(' ').map(Number).sort(), [2345, 3456, 4567]);
    assert.equal(capField(user.out, 'CapEff'), 0n);
    assert.match(user.out, /^NoNewPrivs:\s+0$/m);
  });

  test('readOnlyRootFilesystem, and writes elsewhere never reach the host', async () => {
    const ro = await run({ readOnlyRootFilesystem: true }, 'touch /etc/podbay-ro-test');
    assert.notEqual(ro.exitCode, 0);
    assert.match(ro.err, /Read-only file system/);
    const rw = await run(
      undefined,
      'echo changed > /etc/podbay-rw-test && cat /etc/podbay-rw-test && touch /tmp/x',
    );
    assert.equal(rw.out, 'changed\n');
    assert.ok(!existsSync('/etc/podbay-rw-test'), 'the write must stay in the container layer');
  });

  test('privileged gets every capability the engine holds, without no_new_privs', async () => {
    const r = await run(
      { privileged: true },
      'grep CapEff /proc/self/status; grep NoNewPrivs /proc/self/status',
    );
    // Every capability the engine itself holds.
    assert.equal(capField(r.out, 'CapEff'), capField(readFileSync('/proc/self/status', 'utf8'), 'CapPrm'));
    assert.match(r.out, /^NoNewPrivs:\s+0$/m);
  });
});
