// Opens the one connection the runner uses (the advisory lock is per session, so lock, migrations and
// unlock must share it, as in golang-migrate). With --wait-for-db the connect is retried with capped
// exponential backoff until the deadline, so an init container started before PostgreSQL waits
// instead of crash-looping; only errors that mean "not up yet" are retried.
import pg from 'pg';
import { MigrateError, Stopped } from '../errors.js';
import type { DatabaseTarget } from './url.js';

/** Error codes that mean "the server is not reachable or not ready yet". */
const TRANSIENT_NET = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
/** SQLSTATE: cannot_connect_now (starting up / shutting down), too_many_connections. */
const TRANSIENT_PG = new Set(['57P03', '53300']);

export interface ConnectOptions {
  /** 0 = try once (golang-migrate behaviour). */
  waitForDbMs: number;
  log: (line: string) => void;
  /** Aborts the wait (SIGTERM). */
  signal: AbortSignal;
  now?: () => number;
}

export function isTransient(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (e.code && (TRANSIENT_NET.has(e.code) || TRANSIENT_PG.has(e.code))) return true;
  // node-postgres reports a server that closed the socket during start-up without a code.
  return /Connection terminated unexpectedly|timeout expired/i.test(e.message ?? '');
}

export async function connect(target: DatabaseTarget, opts: ConnectOptions): Promise<pg.Client> {
  const now = opts.now ?? Date.now;
  const deadline = now() + opts.waitForDbMs;
  let delay = 250;
  let attempt = 0;
  for (;;) {
    if (opts.signal.aborted)
      throw new Stopped(`stopped by SIGTERM while waiting for database ${target.display}`, 143);
    attempt++;
    const client = new pg.Client(target.client);
    // An idle-connection error (server restart) must not crash the process; the next query reports it.
    client.on('error', () => {});
    try {
      await client.connect();
      return client;
    } catch (err) {
      await client.end().catch(() => {});
      const remaining = deadline - now();
      if (opts.waitForDbMs <= 0 || !isTransient(err) || remaining <= 0 || opts.signal.aborted) {
        const reason = (err as Error).message;
        if (opts.waitForDbMs > 0 && isTransient(err)) {
          throw new MigrateError(
            `database ${target.display} not reachable after waiting ${Math.round(opts.waitForDbMs / 1000)}s (${attempt} attempts): ${reason}`,
            '-wait-for-db',
          );
        }
        throw new MigrateError(reason);
      }
      opts.log(
        `waiting for database ${target.display}: ${(err as Error).message} (attempt ${attempt}, retry in ${delay}ms)`,
      );
      await sleep(Math.min(delay, remaining), opts.signal);
      delay = Math.min(delay * 2, 5000);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Cancels the statement backend `pid` is running, from a second short-lived session (SIGTERM path).
 * A cancelled statement inside a transaction aborts it, so the step rolls back whole.
 */
export async function cancelBackend(config: pg.ClientConfig, pid: number): Promise<void> {
  const side = new pg.Client({
    ...config,
    connectionTimeoutMillis: 2000,
    application_name: 'migrate-cancel',
  });
  side.on('error', () => {});
  try {
    await side.connect();
    await side.query('SELECT pg_cancel_backend($1)', [pid]);
  } finally {
    await side.end().catch(() => {});
  }
}
