// `validate` (podbay): compares the SHA-256 of every applied up file with the one recorded when it was
// applied, so an edited, already-applied migration is reported instead of silently diverging (Flyway's
// validate; golang-migrate keeps no checksums). Applied versions with no recorded checksum (applied by
// golang-migrate, or before this table existed) get the current file's checksum recorded now.
import type { History } from '../database/history.js';
import type { PostgresDriver } from '../database/postgres.js';
import { MigrateError } from '../errors.js';
import type { Log } from '../log.js';
import { readBody, type SourceIndex, sha256 } from '../source/files.js';
import { NIL_VERSION } from './plan.js';

export interface ValidateReport {
  ok: number;
  recorded: number;
  changed: string[];
  missing: string[];
}

export async function validate(deps: {
  driver: PostgresDriver;
  history: History;
  source: SourceIndex;
  log: Log;
}): Promise<ValidateReport> {
  if (!deps.history.enabled)
    throw new MigrateError(`validate needs the table ${deps.history.qualified}, which could not be created`);
  const { version } = await deps.driver.version();
  const rows = new Map((await deps.history.rows()).map((r) => [r.version, r]));
  const report: ValidateReport = { ok: 0, recorded: 0, changed: [], missing: [] };
  if (version === NIL_VERSION) return report;
  for (const v of deps.source.versions) {
    if (v > version) break;
    const up = deps.source.file(v, 'up');
    const row = rows.get(v);
    rows.delete(v);
    if (!up) continue;
    const sum = sha256(readBody(up));
    if (!row?.sha256) {
      await deps.driver.client.query(deps.history.appliedSql(v, up.name, sum));
      deps.log.println(`recorded ${up.name} sha256:${sum} (no checksum was recorded when it was applied)`);
      report.recorded++;
    } else if (row.sha256 !== sum) {
      const msg = `changed ${up.name}: applied ${row.appliedAt ?? '?'} with sha256:${row.sha256}, file now has sha256:${sum}`;
      deps.log.println(msg);
      report.changed.push(msg);
    } else {
      report.ok++;
    }
  }
  for (const row of rows.values()) {
    if (row.version <= version && row.sha256) {
      const msg = `missing ${row.file}: version ${row.version} was applied but its file is gone from the source`;
      deps.log.println(msg);
      report.missing.push(msg);
    }
  }
  deps.log.println(
    `validate: ${report.ok} unchanged, ${report.recorded} recorded now, ${report.changed.length} changed, ${report.missing.length} missing`,
  );
  if (report.changed.length > 0 || report.missing.length > 0) {
    throw new MigrateError(
      `${report.changed.length + report.missing.length} applied migration(s) differ from the source`,
    );
  }
  return report;
}
