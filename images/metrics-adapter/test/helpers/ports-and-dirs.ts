/** Free loopback ports, temp dirs and child-process waits shared by the integration tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export { freePort } from '@podbay/test-support';

export function tempDir(tag: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `metrics-adapter-${tag}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Polls `check` every `everyMs` until it returns a value other than undefined; bounded by `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}

/** A long-running helper binary (prometheus, node-exporter) started on loopback and stopped by PID. */
export class ServerProcess {
  readonly child: ChildProcess;
  output = '';
  readonly #exited: Promise<void>;

  constructor(bin: string, args: readonly string[]) {
    this.child = spawn(bin, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (d: string): void => {
      this.output = (this.output + d).slice(-20_000);
    };
    this.child.stdout?.setEncoding('utf8').on('data', collect);
    this.child.stderr?.setEncoding('utf8').on('data', collect);
    this.#exited = new Promise((resolve) => this.child.on('exit', () => resolve()));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.#exited;
    clearTimeout(timer);
  }
}
