/**
 * Teardown for a root test that shares the machine with other podbay test runs (other sessions'
 * kubelet and runtime tests run at the same time). The runtime's cleanupAll and the harness's
 * assertMachineClean are machine-wide (podbay root cgroup, bridge, nft table), so running them
 * while another run has pods would tear that run down or fail on its pods. This removes only what
 * this test's runtime created, proves those are gone, and does the machine-wide cleanup and check
 * only when no other podbay sandbox exists.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { vethName } from '../../../../network/pod-interface.js';
import { CGROUP_ROOT } from '../../../../runtime/cgroups.js';
import { assertMachineClean, type TestRuntime } from '../../../../runtime/testing/harness.js';

/** Sandbox cgroup directories under any hierarchy's `podbay/`, whoever created them. */
function podbaySandboxCgroups(): string[] {
  const out: string[] = [];
  for (const h of readdirSync(CGROUP_ROOT)) {
    const root = join(CGROUP_ROOT, h, 'podbay');
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root))
      if (statSync(join(root, name)).isDirectory()) out.push(join(root, name));
  }
  return out;
}

export async function teardownOwnRuntime(t: TestRuntime): Promise<void> {
  const sandboxes = (await t.rt.listPodSandbox()).map((s) => s.id);
  for (const c of await t.rt.listContainers()) {
    await t.rt.stopContainer(c.id, 0).catch(() => {});
    await t.rt.removeContainer(c.id);
  }
  for (const id of sandboxes) {
    await t.rt.stopPodSandbox(id);
    await t.rt.removePodSandbox(id);
  }
  const mounts = readFileSync('/proc/self/mounts', 'utf8');
  assert.ok(!mounts.includes(`${t.dataDir}/`), 'mounts under this test runtime data dir left behind');
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  const cgroups = podbaySandboxCgroups();
  for (const id of sandboxes) {
    assert.ok(!links.includes(`: ${vethName(id)}@`), `veth of sandbox ${id} left behind`);
    assert.ok(!cgroups.some((c) => c.includes(id)), `cgroup of sandbox ${id} left behind`);
  }
  if (cgroups.length === 0) {
    // Nobody else has pods: remove the shared pieces too and check the whole machine.
    await t.close();
    assertMachineClean(t.dataDir);
  } else {
    rmSync(t.dataDir, { recursive: true, force: true });
  }
}
