// Readiness: the web app is ready when both of its dependencies answer for real, and what the init
// containers prepared is in place:
//   postgres  `SELECT version, dirty FROM <migrations table>` answers with one clean row
//             (a real query: it proves the connection, the credentials and that migrate ran)
//   redis     PING answers PONG, and `app:initialized` is "true" (the cache warmer ran)
// Both run in parallel, each bounded by checkTimeoutMs, so the answer fits the probe's timeout.
// Liveness deliberately checks neither: a database outage must not restart the pod.
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { withTimeout } from './timeout.js';

export interface CheckResult {
  ok: boolean;
  /** What was found: "schema version 3", "PONG, app:initialized=true", or why it failed. */
  detail: string;
  latencyMs: number;
}

export interface Readiness {
  ready: boolean;
  checks: { postgres: CheckResult; redis: CheckResult };
}

export interface CheckDeps {
  db: pg.Pool;
  redis: Redis;
  migrationsTable: string;
  timeoutMs: number;
  redisLastError(): string;
}

/** A check throws NotReady for "answered, but not in the required state". */
class NotReady extends Error {}

export async function checkReadiness(deps: CheckDeps): Promise<Readiness> {
  const [postgres, redis] = await Promise.all([
    timed(() => checkPostgres(deps), deps.timeoutMs, 'postgres check'),
    timed(() => checkRedis(deps), deps.timeoutMs, 'redis check'),
  ]);
  return { ready: postgres.ok && redis.ok, checks: { postgres, redis } };
}

async function checkPostgres({ db, migrationsTable }: CheckDeps): Promise<string> {
  let rows: Array<{ version: string; dirty: boolean }>;
  try {
    // migrationsTable is validated as an identifier in config.ts; it cannot be a bind parameter.
    rows = (await db.query(`SELECT version::text AS version, dirty FROM "${migrationsTable}"`)).rows;
  } catch (e) {
    if ((e as { code?: string }).code === '42P01') {
      throw new NotReady(`table "${migrationsTable}" does not exist: migrations not applied`);
    }
    throw e;
  }
  const row = rows[0];
  if (!row) throw new NotReady(`"${migrationsTable}" is empty: no migration applied`);
  if (row.dirty) throw new NotReady(`migration ${row.version} is dirty (failed half-way)`);
  return `schema version ${row.version}`;
}

async function checkRedis({ redis, redisLastError }: CheckDeps): Promise<string> {
  // Commands are not queued while disconnected (backends.ts); say why instead of "stream not writeable".
  if (redis.status !== 'ready') {
    const why = redisLastError();
    throw new NotReady(`not connected (${redis.status}${why ? `, last error: ${why}` : ''})`);
  }
  const pong = await redis.ping();
  if (pong !== 'PONG') throw new NotReady(`PING answered "${pong}"`);
  const initialized = await redis.get('app:initialized');
  if (initialized !== 'true') {
    throw new NotReady(
      `cache not warmed: app:initialized is ${initialized === null ? 'unset' : `"${initialized}"`}`,
    );
  }
  return 'PONG, app:initialized=true';
}

async function timed(run: () => Promise<string>, ms: number, what: string): Promise<CheckResult> {
  const start = performance.now();
  const latency = () => Math.round((performance.now() - start) * 10) / 10;
  try {
    const detail = await withTimeout(run(), ms, what);
    return { ok: true, detail, latencyMs: latency() };
  } catch (e) {
    return { ok: false, detail: (e as Error).message || String(e), latencyMs: latency() };
  }
}
