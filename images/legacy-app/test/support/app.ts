// Runs the built `legacy-app` as a separate process on free loopback ports. Contract: stop() sends
// SIGTERM (SIGKILL after 10 s) and resolves with the exit code; kill() is safe on an exited process.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from '@podbay/test-support';

export const LEGACY_APP_BIN = fileURLToPath(new URL('../../../bin/legacy-app.js', import.meta.url));

export interface RunningLegacyApp {
  port: number;
  adminPort: number;
  child: ChildProcess;
  logs(): string;
  /** GET on the traffic port (or the admin port with `admin`), returning status and text. */
  get(path: string, admin?: boolean): Promise<{ status: number; text: string }>;
  stop(): Promise<number | null>;
  kill(): void;
}

export async function startLegacyApp(env: Record<string, string> = {}): Promise<RunningLegacyApp> {
  const [port, adminPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, [LEGACY_APP_BIN], {
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      ADMIN_PORT: String(adminPort),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let logs = '';
  child.stderr?.on('data', (d) => {
    logs += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const app: RunningLegacyApp = {
    port,
    adminPort,
    child,
    logs: () => logs,
    async get(path, admin = false) {
      const res = await fetch(`http://127.0.0.1:${admin ? adminPort : port}${path}`, {
        signal: AbortSignal.timeout(15_000),
      });
      return { status: res.status, text: await res.text() };
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
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
    // Probing the admin port: it does not touch the counters under test.
    await waitFor('legacy-app', async () => (await app.get('/not-the-stats', true)).status === 404, 10_000, {
      intervalMs: 50,
      abort: () => child.exitCode !== null,
    });
  } catch {
    app.kill();
    throw new Error(`legacy-app did not start:\n${logs}`);
  }
  return app;
}
