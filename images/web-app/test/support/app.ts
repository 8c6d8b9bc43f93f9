// Runs the built `web-app` as a separate process, the way the kubelet runs the container, and talks to
// it over loopback HTTP. Contract: stop() sends SIGTERM (then SIGKILL after 10 s) and resolves with the
// exit code; kill() is for `after` hooks and is safe to call on an exited process.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from '@podbay/test-support';

export const WEB_APP_BIN = fileURLToPath(new URL('../../../bin/web-app.js', import.meta.url));

export interface RunningApp {
  port: number;
  child: ChildProcess;
  /** Everything the app wrote to stderr so far. */
  logs(): string;
  // biome-ignore lint/suspicious/noExplicitAny: tests assert on arbitrary JSON response bodies
  get(path: string): Promise<{ status: number; body: any; ms: number }>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  kill(): void;
}

export async function startApp(env: Record<string, string>): Promise<RunningApp> {
  const port = await freePort();
  const child = spawn(process.execPath, [WEB_APP_BIN], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let logs = '';
  child.stderr?.on('data', (d) => {
    logs += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const app: RunningApp = {
    port,
    child,
    logs: () => logs,
    async get(path) {
      const start = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(10_000) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, ms: performance.now() - start };
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
  try {
    await waitFor('web-app', async () => (await app.get('/health/live')).status === 200, 10_000, {
      intervalMs: 50,
      abort: () => child.exitCode !== null,
    });
  } catch {
    app.kill();
    throw new Error(`web-app did not start:\n${logs}`);
  }
  return app;
}
