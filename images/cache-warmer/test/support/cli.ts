// Runs the built `cache-warmer` as a separate process, as an init container would.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const WARMER_BIN = fileURLToPath(new URL('../../../bin/cache-warmer.js', import.meta.url));

export interface WarmerResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function startWarmer(
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; done: Promise<WarmerResult> } {
  const t0 = Date.now();
  const child = spawn(process.execPath, [WARMER_BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<WarmerResult>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      setImmediate(() => resolve({ code, stdout, stderr, ms: Date.now() - t0 }));
    });
  });
  return { child, done };
}

export const runWarmer = (args: string[], env: Record<string, string>) => startWarmer(args, env).done;
