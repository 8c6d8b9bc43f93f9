// podbay's side table "<schema>"."<table>_history": one row per applied version with the file name and
// the SHA-256 of its up file (so `validate` can report an edited, already-applied migration), plus a
// `note` saying what a runner was doing when it last touched that version (so a dirty state found
// later can be explained). golang-migrate never reads it; its schema_migrations stays untouched.
// Contract: every write here is a statement run inside the caller's transaction when there is one.
import type pg from 'pg';
import type { PostgresDriver } from './postgres.js';
import { quoteIdent } from './quote.js';

export interface HistoryRow {
  version: bigint;
  file: string;
  sha256: string | null;
  appliedAt: string | null;
  note: string | null;
  notedAt: string | null;
}

/** A literal that is correct whatever standard_conforming_strings says. */
export function sqlLiteral(text: string): string {
  return `E'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

export class History {
  readonly qualified: string;
  /** False when the table could not be created (read-only user): everything here becomes a no-op. */
  enabled = true;

  constructor(
    private readonly client: pg.Client,
    driver: PostgresDriver,
  ) {
    this.qualified = `${quoteIdent(driver.schema)}.${quoteIdent(`${driver.table}_history`)}`;
  }

  /** Creates the table if possible; returns a warning when checksums are unavailable. */
  async ensure(): Promise<string | undefined> {
    try {
      await this.client.query(
        `CREATE TABLE IF NOT EXISTS ${this.qualified} (version bigint primary key, file text not null,
           sha256 text, applied_at timestamptz, note text, noted_at timestamptz)`,
      );
      return undefined;
    } catch (err) {
      this.enabled = false;
      return `checksums disabled: cannot create ${this.qualified}: ${(err as Error).message}`;
    }
  }

  /** SQL that marks `version` as being worked on with `file` (visible only if it commits). */
  noteSql(version: bigint, file: string, note: string): string {
    if (!this.enabled) return '';
    return ` INSERT INTO ${this.qualified} (version, file, note, noted_at) VALUES (${version}, ${sqlLiteral(file)}, ${sqlLiteral(note)}, now())
      ON CONFLICT (version) DO UPDATE SET note = EXCLUDED.note, noted_at = EXCLUDED.noted_at;`;
  }

  /** SQL recording a successful up migration (checksum of its up file) and clearing the note. */
  appliedSql(version: bigint, file: string, sha256: string): string {
    if (!this.enabled) return '';
    return ` INSERT INTO ${this.qualified} (version, file, sha256, applied_at) VALUES (${version}, ${sqlLiteral(file)}, ${sqlLiteral(sha256)}, now())
      ON CONFLICT (version) DO UPDATE SET file = EXCLUDED.file, sha256 = EXCLUDED.sha256, applied_at = EXCLUDED.applied_at, note = NULL, noted_at = NULL;`;
  }

  /** SQL forgetting a version that was migrated down. */
  revertedSql(version: bigint): string {
    if (!this.enabled) return '';
    return ` DELETE FROM ${this.qualified} WHERE version = ${version};`;
  }

  async note(version: bigint, file: string, note: string): Promise<void> {
    if (this.enabled) await this.client.query(this.noteSql(version, file, note)).catch(() => {});
  }

  async rows(): Promise<HistoryRow[]> {
    if (!this.enabled) return [];
    const res = await this.client.query<{
      version: string;
      file: string;
      sha256: string | null;
      applied_at: Date | null;
      note: string | null;
      noted_at: Date | null;
    }>(`SELECT version, file, sha256, applied_at, note, noted_at FROM ${this.qualified} ORDER BY version`);
    return res.rows.map((r) => ({
      version: BigInt(r.version),
      file: r.file,
      sha256: r.sha256,
      appliedAt: r.applied_at ? r.applied_at.toISOString() : null,
      note: r.note,
      notedAt: r.noted_at ? r.noted_at.toISOString() : null,
    }));
  }

  async row(version: bigint): Promise<HistoryRow | undefined> {
    return (await this.rows()).find((r) => r.version === version);
  }
}
