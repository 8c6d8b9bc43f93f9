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

  async start(): Promise<void> {
    buildShim();
    await this.server.start('127.0.0.1:0', SERVER_ARGS);
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

  /** Deletes the pod and waits until neither the API nor this machine has anything of it. */
  async deleteAndVerifyGone(name: string): Promise<void> {
    const dataDir = this.server.dataDir;
    const uid = (await this.getPod(name)).metadata?.uid ?? '';
    await this.server.k(['delete', 'pod', name, '--wait=true', '--timeout=60s']);
    const runtimeRoot = join(dataDir, 'runtime', 'sandboxes');
    await waitFor(async () => {
      const sandboxes = existsSync(runtimeRoot) ? readdirSync(runtimeRoot) : [];
      return !sandboxes.some((id) =>
        readFileSync(join(runtimeRoot, id, 'sandbox.json'), 'utf8').includes(uid),
      );
    }, `runtime records of pod ${name} to go`);
    const mounts = readFileSync('/proc/self/mounts', 'utf8');
    assert.ok(!mounts.includes(uid), `mounts of pod ${name} left behind`);
    assert.ok(!existsSync(join(dataDir, 'kubelet', 'pods', uid)), `pod dir of ${name} left behind`);
    assert.ok(
      !existsSync(join(dataDir, 'logs', 'pods', `default_${name}_${uid}`)),
      `logs of ${name} left behind`,
    );
  }
}
