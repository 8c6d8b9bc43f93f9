/**
 * Runs the real `metrics-adapter` binary as a child process on a free loopback port, as the pod
 * would, and stops it by PID. `start` resolves once the adapter logs that it is serving.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../../bin/metrics-adapter.js', import.meta.url));

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

export class AdapterProcess {
  readonly child: ChildProcess;
  port = 0;
  stderr = '';
  readonly exited: Promise<ExitInfo>;

  private constructor(args: readonly string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      this.stderr += d;
    });
    this.child.stdout?.resume();
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => resolve({ code, signal, stderr: this.stderr }));
    });
  }

  static async start(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<AdapterProcess> {
    const p = new AdapterProcess(['--listen', '127.0.0.1:0', ...args], { PATH: process.env.PATH, ...env });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const m = /"msg":"serving".*?"port":(\d+)/.exec(p.stderr);
      if (m) {
        p.port = Number(m[1]);
        return p;
      }
      if (p.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    p.child.kill('SIGKILL');
    throw new Error(`adapter did not start: ${p.stderr}`);
  }

  /** Runs the binary to completion (for configuration errors); bounded by 10 s. */
  static run(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ExitInfo> {
    const p = new AdapterProcess(args, { PATH: process.env.PATH, ...env });
    const timer = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
    return p.exited.finally(() => clearTimeout(timer));
  }

  get metricsUrl(): string {
    return `http://127.0.0.1:${this.port}/metrics`;
  }

  /** SIGTERM by PID, then waits for exit (SIGKILL after 10 s, which fails the caller's timing check). */
  async stop(): Promise<ExitInfo & { ms: number }> {
    const started = Date.now();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    const info = await this.exited;
    clearTimeout(timer);
    return { ...info, ms: Date.now() - started };
  }
}

export async function scrape(
  url: string,
  accept?: string,
): Promise<{ status: number; contentType: string; body: string }> {
  const res = await fetch(url, { headers: accept ? { accept } : {}, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: await res.text() };
}

/** The value of one exposed sample line (`name{labels}` exactly as rendered), or undefined. */
export function sampleValue(body: string, series: string): number | undefined {
  for (const line of body.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}
