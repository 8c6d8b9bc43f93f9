/**
 * Root end-to-end helpers for the kubelet: a real `podbay server --run-pods --cleanup-on-exit`
 * (test/e2e/harness.ts TestServer) driven by the stock kubectl, with the CrashLoopBackOff base
 * period shortened to 1 s (upstream: 10 s). `close` stops the server with SIGTERM, checks that
 * the clean shutdown left no links, mounts, cgroups or nft tables behind, and removes its dirs.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1';
import { TestServer, waitFor } from '../../../test/e2e/harness.js';
import { assertMachineClean, buildShim } from '../../runtime/testing/harness.js';

export const SERVER_ARGS = ['--run-pods', '--cleanup-on-exit', '--test-backoff-base-ms', '1000'];

export class PodServer {
  readonly server = new TestServer();

  /** `extraArgs` are more `podbay server` flags, after SERVER_ARGS (a shorter HPA sync period, the ingress listeners on free ports). */
  async start(extraArgs: string[] = []): Promise<void> {
    buildShim();
    await this.server.start('127.0.0.1:0', [...SERVER_ARGS, ...extraArgs]);
  }

  async close(): Promise<void> {
    const code = await this.server.stop('SIGTERM');
    try {
      assertMachineClean(this.server.dataDir);
      assert.equal(code, 0, `server exit code\n${this.server.stderr.slice(-3000)}`);
    } finally {
      await this.server.destroy();
    }
  }

  async getPod(name: string): Promise<Pod> {
    return JSON.parse(await this.server.k(['get', 'pod', name, '-o', 'json'])) as Pod;
  }

  /** kubectl get's STATUS column. */
  async statusColumn(name: string): Promise<string> {
    const out = await this.server.k(['get', 'pod', name, '--no-headers']);
    return out.trim().split(/\s+/)[2] ?? '';
  }

  async apply(manifest: string): Promise<void> {
    await this.server.k(['apply', '-f', '-'], manifest);
  }

  async events(name: string): Promise<string> {
    return this.server.k(['get', 'events', '--field-selector', `involvedObject.name=${name}`]);
  }

  /** The runtime's on-disk record of the pod's live sandbox (sandbox.json), if any. */
  sandboxRecordOf(uid: string): { id: string; ip: string; hostname: string; pid: number } | undefined {
    const root = join(this.server.dataDir, 'runtime', 'sandboxes');
    for (const id of existsSync(root) ? readdirSync(root) : []) {
      const file = join(root, id, 'sandbox.json');
      if (!existsSync(file)) continue;
      const record = JSON.parse(readFileSync(file, 'utf8')) as {
        id: string;
        ip: string;
        hostname: string;
        pid: number;
        stopped: boolean;
        metadata: { uid: string };
      };
      if (record.metadata.uid === uid && !record.stopped) return record;
    }
    return undefined;
  }

  /** Every process as pid, comm, state, ppid (from /proc/<pid>/stat). */
  static processes(): { pid: number; comm: string; state: string; ppid: number }[] {
    const out: { pid: number; comm: string; state: string; ppid: number }[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(join('/proc', entry, 'stat'), 'utf8');
      } catch {
        continue; // exited meanwhile
      }
      // pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const [state = '', ppid = '0'] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(entry), comm, state, ppid: Number(ppid) });
    }
    return out;
  }

  /** <defunct> children of the server: exited processes it started and never reaped. */
  zombieChildren(): string[] {
    const serverPid = this.server.proc?.pid ?? -1;
    return PodServer.processes()
      .filter((p) => p.state === 'Z' && p.ppid === serverPid)
      .map((p) => `${p.pid} (${p.comm})`);
  }

  /** Deletes the pod and waits until neither the API nor this machine has anything of it. */
  async deleteAndVerifyGone(name: string): Promise<void> {
    const dataDir = this.server.dataDir;
    const uid = (await this.getPod(name)).metadata?.uid ?? '';
    await this.server.k(['delete', 'pod', name, '--wait=true', '--timeout=60s']);
    const runtimeRoot = join(dataDir, 'runtime', 'sandboxes');
    // The kubelet removes the sandbox, then unmounts volumes and removes the pod dir: the API
    // object may be gone before the last step (a terminal pod is deleted at once), so wait for both.
    await waitFor(async () => {
      const sandboxes = existsSync(runtimeRoot) ? readdirSync(runtimeRoot) : [];
      // A record being removed right now may lack its file: read it as "not this pod".
      const recordsGone = !sandboxes.some((id) => {
        const file = join(runtimeRoot, id, 'sandbox.json');
        return existsSync(file) && readFileSync(file, 'utf8').includes(uid);
      });
      return recordsGone && !existsSync(join(dataDir, 'kubelet', 'pods', uid));
    }, `runtime records and pod dir of ${name} to go`);
    const mounts = readFileSync('/proc/self/mounts', 'utf8');
    assert.ok(!mounts.includes(uid), `mounts of pod ${name} left behind`);
    assert.ok(
      !existsSync(join(dataDir, 'logs', 'pods', `default_${name}_${uid}`)),
      `logs of ${name} left behind`,
    );
  }
}
