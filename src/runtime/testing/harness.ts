/**
 * Shared set-up for the runtime's root tests: a temp data dir, a runtime over the repository's
 * catalog, the shim built if needed, and `assertMachineClean`, which checks the kernel's view (links,
 * mounts, cgroups, nft, shim processes) rather than podbay's own records.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { machineLeftovers } from '../../cli/machine-check.js';
import { findRepoRoot, ImageCatalog } from '../catalog.js';
import { CatalogImageService } from '../image-service.js';
import { PodbayRuntime, type RuntimeDeps } from '../runtime-service.js';
import type { PodSandboxConfig } from '../types.js';

export const REPO = findRepoRoot();
export const SHIM = join(REPO, 'dist', 'bin', 'podbay-shim');

export function buildShim(): void {
  execFileSync('bash', [join(REPO, 'scripts', 'build-shim.sh')], { stdio: 'inherit' });
}

export interface TestRuntime {
  rt: PodbayRuntime;
  dataDir: string;
  /** cleanupAll, then removes the data dir. */
  close(): Promise<void>;
}

export async function createTestRuntime(extra: Partial<RuntimeDeps> = {}): Promise<TestRuntime> {
  buildShim();
  const dataDir = mkdtempSync('/tmp/podbay-rt-test-');
  const catalog = await ImageCatalog.load({ dataDir, repoRoot: REPO });
  const rt = new PodbayRuntime({
    dataDir,
    images: new CatalogImageService(catalog),
    shimPath: SHIM,
    ...extra,
  });
  return {
    rt,
    dataDir,
    async close() {
      await rt.cleanupAll();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function sandboxConfig(name: string, extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
  return {
    metadata: { name, namespace: 'test', uid: `uid-${name}`, attempt: 0 },
    dns: {
      servers: ['10.96.0.10'],
      searches: ['test.svc.cluster.local', 'svc.cluster.local'],
      options: ['ndots:5'],
    },
    ...extra,
  };
}

/** How long a test waits for monitors of just-stopped containers to finish exiting. */
const LEFTOVER_GRACE_MS = 3000;

/**
 * Fails unless the kernel shows nothing podbay made: the same check `podbay down` runs
 * (cli/machine-check.ts), so tests and users agree on what "clean" means. A shim monitor that is still
 * writing its exit file a moment after its container stopped gets a short grace period; anything else
 * left behind fails at once.
 */
export function assertMachineClean(dataDir: string): void {
  const deadline = Date.now() + LEFTOVER_GRACE_MS;
  let left = machineLeftovers(dataDir);
  while (left.length > 0 && left.every((l) => l.startsWith('process ')) && Date.now() < deadline) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50); // a synchronous 50 ms sleep
    left = machineLeftovers(dataDir);
  }
  assert.deepEqual(left, [], `podbay left this behind: ${left.join(', ')}`);
}

/** Polls `check` until it returns a value (not undefined), failing after timeoutMs. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
