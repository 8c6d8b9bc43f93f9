/**
 * The four patterns on podbay as a user has them: `podbay up` (the real CLI, in the background
 * server it starts) with its own data dir, HOME and KUBECONFIG in a temp dir, and the stock
 * kubectl reading the user kubeconfig `up` merged the `podbay` context into, so the seed's
 * commands run exactly as written. `close` runs `podbay down` (and, if that failed, stops the
 * server by its pid file) and removes the temp dir.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KUBECTL, PODBAY_BIN } from './harness.js';

export const REPO = new URL('../../../', import.meta.url).pathname;
export const PATTERNS_DIR = join(REPO, 'examples', 'patterns');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  input?: string,
  timeoutMs = 60_000,
): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => {
      stdout += d;
    });
    p.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code, sig) => {
      clearTimeout(timer);
      resolve({ code: code ?? (sig ? 128 : 1), stdout, stderr });
    });
    // kubectl may exit without reading its stdin (a quick error, or a command that takes none):
    // EPIPE then is not the test's failure, the exit code and output are.
    p.stdin.on('error', () => {});
    p.stdin.end(input ?? '');
  });
}

export class PatternsCluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'podbay-patterns-'));
  readonly dataDir = join(this.dir, 'data');
  readonly env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: join(this.dir, 'home'),
    KUBECONFIG: join(this.dir, 'home', '.kube', 'config'),
    KUBECACHEDIR: join(this.dir, 'kubecache'),
  };

  constructor() {
    mkdirSync(join(this.dir, 'home'));
  }

  podbay(args: string[], timeoutMs = 300_000): Promise<Run> {
    return run(
      process.execPath,
      [PODBAY_BIN, ...args, '--data-dir', this.dataDir],
      this.env,
      undefined,
      timeoutMs,
    );
  }

  /** `podbay up` of the four patterns on a free port. */
  up(timeout = '180s'): Promise<Run> {
    return this.podbay(['up', '-k', PATTERNS_DIR, '--listen', '127.0.0.1:0', '--timeout', timeout]);
  }

  kubectl(args: string[], input?: string, timeoutMs = 60_000): Promise<Run> {
    return run(KUBECTL, args, this.env, input, timeoutMs);
  }

  /** kubectl that must succeed; throws with its output otherwise. */
  async k(args: string[], input?: string): Promise<string> {
    const r = await this.kubectl(args, input);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  /** Names of the live pods matching a label selector, sorted. */
  async pods(selector: string, namespace = 'development'): Promise<string[]> {
    const out = await this.k(['get', 'pods', '-n', namespace, '-l', selector, '-o', 'json']);
    return (JSON.parse(out).items as { metadata: { name: string; deletionTimestamp?: string } }[])
      .filter((p) => !p.metadata.deletionTimestamp)
      .map((p) => p.metadata.name)
      .sort();
  }

  async close(): Promise<Run | undefined> {
    let down: Run | undefined;
    if (existsSync(join(this.dataDir, 'server.pid'))) {
      down = await this.podbay(['down'], 180_000);
      const pidFile = join(this.dataDir, 'server.pid');
      if (existsSync(pidFile)) {
        const pid = Number(readFileSync(pidFile, 'utf8'));
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
    return down;
  }
}

/** Polls `check` until it returns a value, failing with `what` after timeoutMs. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `calls` of one command in an INFO commandstats text (0 when never called). */
export function commandCalls(infoText: string, command: string): number {
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(infoText)?.[1] ?? 0);
}
