/** Loopback helpers for tests: a free port, "does it accept a TCP connection", and polling. */
import net from 'node:net';

/** A port that was free on 127.0.0.1 a moment ago (the kernel's pick; another process may take it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** True once something on 127.0.0.1:`port` accepts a TCP connection (closed again at once). */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface WaitOptions {
  /** Pause between checks (default 20 ms). */
  intervalMs?: number;
  /** Checked before each poll: true gives up at once (say, the process under test exited). */
  abort?: () => boolean;
}

/**
 * Polls `check` until it returns true, failing with "timed out waiting for `what`" after
 * `timeoutMs` (or "gave up waiting…" once `abort` says so). A check that throws counts as "not yet".
 */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
  options: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (options.abort?.()) throw new Error(`gave up waiting for ${what}`);
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(options.intervalMs ?? 20);
  }
}
