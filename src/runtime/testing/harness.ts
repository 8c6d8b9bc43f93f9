/**
 * Shared set-up for the runtime's root tests: a temp data dir, a runtime over the repository's
 * catalog, the shim built if needed, and `assertMachineClean`, which checks the kernel's view (links,
 * mounts, cgroups, nft) rather than podbay's own records.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot, ImageCatalog } from '../catalog.js';
import { CGROUP_ROOT } from '../cgroups.js';
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

export function assertMachineClean(dataDir: string): void {
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  assert.doesNotMatch(links, /: (pbv[0-9a-f]+|podbay0)[:@]/, 'podbay links left behind');
  const mounts = readFileSync('/proc/self/mounts', 'utf8');
  assert.ok(!mounts.includes(dataDir), 'mounts under the data dir left behind');
  for (const h of readdirSync(CGROUP_ROOT)) {
    assert.ok(!existsSync(join(CGROUP_ROOT, h, 'podbay')), `cgroup ${h}/podbay left behind`);
  }
  const tables = execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' });
  assert.doesNotMatch(tables, /table ip podbay\b/, 'nft table left behind');
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
