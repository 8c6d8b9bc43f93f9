/**
 * A real PostgreSQL (Debian's binaries) in a temporary directory on a free loopback port, for
 * integration tests. PostgreSQL refuses to run as root, so under root the server runs as the
 * `postgres` user. Contract: stop() kills the server by PID, waits for it, and removes the directory.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, waitFor } from './net.js';

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PgServer {
  port: number;
  dir: string;
  url(db?: string, params?: string): string;
  query(sql: string, params?: unknown[], db?: string): Promise<pg.QueryResult>;
  stop(): Promise<void>;
}

function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

/** initdb only (fast, ~0.5 s): lets a test start the server later, on a port chosen now. */
export function initCluster(): { dir: string; owner: { uid?: number; gid?: number } } {
  const dir = mkdtempSync(join(tmpdir(), 'test-pg-'));
  const owner = runAs();
  if (owner.uid !== undefined) chownSync(dir, owner.uid, owner.gid as number);
  execFileSync(
    join(BIN, 'initdb'),
    ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '-N'],
    { ...owner, stdio: 'ignore' },
  );
  return { dir, owner };
}

/** Starts the server (on `port` or a free one, in `cluster` or a new one) and waits until it accepts a login. */
export async function startPostgres(
  opts: { port?: number; cluster?: ReturnType<typeof initCluster> } = {},
): Promise<PgServer> {
  const { dir, owner } = opts.cluster ?? initCluster();
  const port = opts.port ?? (await freePort());
  const child: ChildProcess = spawn(
    join(BIN, 'postgres'),
    [
      '-D',
      join(dir, 'data'),
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'max_connections=50',
    ],
    { ...owner, stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = (db = 'postgres', params = 'sslmode=disable') =>
    `postgres://postgres@127.0.0.1:${port}/${db}?${params}`;
  try {
    await waitFor(
      `postgres on ${port}`,
      async () => {
        const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
        c.on('error', () => {});
        try {
          await c.connect();
          return true;
        } finally {
          await c.end().catch(() => {});
        }
      },
      15_000,
      { intervalMs: 100, abort: () => child.exitCode !== null },
    );
  } catch {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error('postgres did not start');
  }
  return {
    port,
    dir,
    url,
    async query(sql, params, db = 'postgres') {
      const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: db });
      await c.connect();
      try {
        return await c.query(sql, params);
      } finally {
        await c.end();
      }
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGINT'); // fast shutdown
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
