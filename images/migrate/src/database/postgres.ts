// The PostgreSQL side of the runner: the golang-migrate version table, its advisory lock, and the
// version row. Source of truth for "which version is this database at" is the single row of
// "<schema>"."schema_migrations"(version bigint not null primary key, dirty boolean not null), exactly as
// golang-migrate v4.15.2 database/postgres/postgres.go writes it, so either tool can take over.
import type pg from 'pg';
import { ConfigError, LockTimeoutError, MigrateError } from '../errors.js';
import { NIL_VERSION } from '../migrate/plan.js';
import { lockKeyToPgLocks, migrationLockKey } from './lock-id.js';
import { quoteIdent } from './quote.js';
import { type DatabaseTarget, migrationsTableName } from './url.js';

/** SQLSTATE lock_not_available: our lock_timeout fired while waiting in pg_advisory_lock. */
const LOCK_NOT_AVAILABLE = '55P03';
const UNDEFINED_TABLE = '42P01';

export class PostgresDriver {
  readonly client: pg.Client;
  readonly target: DatabaseTarget;
  readonly schema: string;
  readonly table: string;
  readonly lockKey: bigint;
  #locked = false;

  private constructor(client: pg.Client, target: DatabaseTarget, schema: string, table: string) {
    this.client = client;
    this.target = target;
    this.schema = schema;
    this.table = table;
    this.lockKey = migrationLockKey(target.urlPath, schema, table);
  }

  /** Like golang-migrate's WithConnection: resolve schema, then ensure the version table under the lock. */
  static async open(
    client: pg.Client,
    target: DatabaseTarget,
    lockTimeoutMs: number,
  ): Promise<PostgresDriver> {
    const res = await client.query<{ schema: string | null }>('SELECT CURRENT_SCHEMA() AS schema');
    const current = res.rows[0]?.schema;
    const named = migrationsTableName(target.options);
    const schema = named.schema ?? current;
    if (!schema) throw new ConfigError('no schema (search_path names no existing schema)', 'search_path');
    const driver = new PostgresDriver(client, target, schema, named.table);
    if (target.options.statementTimeoutMs > 0) {
      await client.query(`SET statement_timeout = ${target.options.statementTimeoutMs}`);
    }
    await driver.lock(lockTimeoutMs);
    try {
      await driver.#ensureVersionTable();
    } finally {
      await driver.unlock();
    }
    return driver;
  }

  get qualifiedTable(): string {
    return `${quoteIdent(this.schema)}.${quoteIdent(this.table)}`;
  }

  async #ensureVersionTable(): Promise<void> {
    // Check first so that a read-only user can still run `version` (golang-migrate does the same).
    const found = await this.client.query(
      'SELECT COUNT(1) AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2 LIMIT 1',
      [this.schema, this.table],
    );
    if (Number(found.rows[0]?.n) === 1) return;
    await this.client.query(
      `CREATE TABLE IF NOT EXISTS ${this.qualifiedTable} (version bigint not null primary key, dirty boolean not null)`,
    );
  }

  /**
   * Takes the advisory lock, waiting at most `timeoutMs` (golang-migrate waits forever server-side).
   * On timeout the error names the backend that holds it. Safe to call only when not locked.
   */
  async lock(timeoutMs: number): Promise<void> {
    if (this.#locked) throw new MigrateError('database locked');
    await this.client.query(`SET lock_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
    try {
      await this.client.query('SELECT pg_advisory_lock($1)', [String(this.lockKey)]);
      this.#locked = true;
    } catch (err) {
      if ((err as { code?: string }).code === LOCK_NOT_AVAILABLE)
        throw new LockTimeoutError(await this.lockHolder());
      throw new MigrateError(
        `try lock failed in line 0: SELECT pg_advisory_lock($1) (details: ${pqMessage(err)})`,
      );
    } finally {
      // RESET returns to the session default (including any lock_timeout given in the URL).
      await this.client.query('RESET lock_timeout').catch(() => {});
    }
  }

  /** Describes who holds our advisory lock: "pid 123, application_name "migrate", ...". */
  async lockHolder(): Promise<string> {
    const { classid, objid } = lockKeyToPgLocks(this.lockKey);
    const res = await this.client.query<{
      pid: number;
      application_name: string;
      client_addr: string | null;
      state: string | null;
      since: string | null;
      query: string | null;
    }>(
      `SELECT a.pid, a.application_name, a.client_addr::text AS client_addr, a.state,
              to_char(a.xact_start, 'YYYY-MM-DD"T"HH24:MI:SSOF') AS since, left(a.query, 200) AS query
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::oid AND l.objid = $2::oid AND l.objsubid = 1`,
      [classid, objid],
    );
    const h = res.rows[0];
    if (!h) return 'a backend that released it just now';
    const parts = [`pid ${h.pid}`, `application_name ${JSON.stringify(h.application_name ?? '')}`];
    if (h.client_addr) parts.push(`client ${h.client_addr}`);
    if (h.state) parts.push(`state ${h.state}`);
    if (h.since) parts.push(`transaction since ${h.since}`);
    if (h.query) parts.push(`last query ${JSON.stringify(h.query)}`);
    return parts.join(', ');
  }

  /** Safe to call twice: a second call is a no-op. */
  async unlock(): Promise<void> {
    if (!this.#locked) return;
    await this.client.query('SELECT pg_advisory_unlock($1)', [String(this.lockKey)]);
    this.#locked = false;
  }

  get locked(): boolean {
    return this.#locked;
  }

  /** Current (version, dirty); NIL_VERSION when there is no row or no table. */
  async version(): Promise<{ version: bigint; dirty: boolean }> {
    try {
      const res = await this.client.query<{ version: string; dirty: boolean }>(
        `SELECT version, dirty FROM ${this.qualifiedTable} LIMIT 1`,
      );
      const row = res.rows[0];
      return row
        ? { version: BigInt(row.version), dirty: row.dirty }
        : { version: NIL_VERSION, dirty: false };
    } catch (err) {
      if ((err as { code?: string }).code === UNDEFINED_TABLE) return { version: NIL_VERSION, dirty: false };
      throw err;
    }
  }

  /**
   * The SQL of golang-migrate's SetVersion body without BEGIN/COMMIT: clear the table, then insert the
   * row. golang-migrate clears with TRUNCATE; DELETE leaves the same single row but does not create a
   * new relation file per call (2 per migration) nor block concurrent `version` readers until commit.
   */
  setVersionSql(version: bigint, dirty: boolean): string {
    let sql = `DELETE FROM ${this.qualifiedTable};`;
    // golang-migrate keeps a row for (-1, dirty) so a failed first down stays visible (its issue #330).
    if (version >= 0n || (version === NIL_VERSION && dirty)) {
      sql += ` INSERT INTO ${this.qualifiedTable} (version, dirty) VALUES (${version}, ${dirty});`;
    }
    return sql;
  }

  /** golang-migrate's SetVersion: its own transaction. */
  async setVersion(version: bigint, dirty: boolean): Promise<void> {
    await this.client.query(`BEGIN; ${this.setVersionSql(version, dirty)} COMMIT;`);
  }

  /** golang-migrate's Drop: every base table of the current schema, one by one, CASCADE. */
  async drop(): Promise<void> {
    const res = await this.client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema=(SELECT current_schema()) AND table_type='BASE TABLE'`,
    );
    for (const row of res.rows) {
      if (row.table_name)
        await this.client.query(`DROP TABLE IF EXISTS ${quoteIdent(row.table_name)} CASCADE`);
    }
  }
}

/** lib/pq formats server errors as "pq: <message>"; scripts match on that prefix. */
export function pqMessage(err: unknown): string {
  const e = err as { message?: string; severity?: string };
  return e.severity ? `pq: ${e.message}` : (e.message ?? String(err));
}
