// Executes one migration step. Two protocols:
//
//  transactional (default, podbay):          plain (golang-migrate's, and our fallback):
//    BEGIN; version=T dirty; note            tx: version=T dirty; note       (committed)
//    <body>                                  <body>                          (autocommit)
//    version=T clean; checksum; COMMIT       tx: version=T clean; checksum   (committed)
//
// In the transactional protocol the body and its version row commit together, so a runner killed at
// any point leaves the database before or after the migration, never dirty-but-committed. The dirty row
// written first only becomes visible if the body itself COMMITs part-way (a file with its own
// BEGIN/COMMIT), which is exactly when "dirty" is the truth. Bodies that PostgreSQL refuses inside a
// transaction block (CREATE INDEX CONCURRENTLY, ...; SQLSTATE 25001) are retried with the plain protocol.
import { MigrationFailed } from '../errors.js';
import type { History } from './history.js';
import { type PostgresDriver, pqMessage } from './postgres.js';
import { lineColumn, splitStatements, statementAt } from './sql-split.js';

const ACTIVE_SQL_TRANSACTION = '25001';

export interface StepInput {
  version: bigint;
  targetVersion: bigint;
  /** Absent for a version that has no file in this direction (golang-migrate runs it as empty). */
  file?: { name: string; path: string; body: Buffer; sha256: string; direction: 'up' | 'down' };
}

export type Protocol = 'transactional' | 'plain';

export interface RunOptions {
  useTransaction: boolean;
  multiStatement: boolean;
  multiStatementMaxSize: number;
  /** Told which protocol is about to run (the runner decides how SIGTERM may interrupt it). */
  onProtocol?: (protocol: Protocol) => void;
}

export async function runStep(
  driver: PostgresDriver,
  history: History,
  step: StepInput,
  opts: RunOptions,
): Promise<Protocol> {
  if (opts.useTransaction) {
    try {
      opts.onProtocol?.('transactional');
      await runTransactional(driver, history, step, opts);
      return 'transactional';
    } catch (err) {
      if (!(err instanceof BodyError) || err.code !== ACTIVE_SQL_TRANSACTION)
        throw await fail(history, step, err);
    }
  }
  try {
    opts.onProtocol?.('plain');
    await runPlain(driver, history, step, opts);
    return 'plain';
  } catch (err) {
    throw await fail(history, step, err);
  }
}

/** Wraps a server error raised by the body, with the text that was sent (for position math). */
class BodyError extends Error {
  constructor(
    readonly serverError: unknown,
    readonly sent: string,
    readonly offset: number,
  ) {
    super((serverError as Error).message);
  }
  get code(): string | undefined {
    return (this.serverError as { code?: string }).code;
  }
}

function completionSql(driver: PostgresDriver, history: History, step: StepInput): string {
  let sql = driver.setVersionSql(step.targetVersion, false);
  if (step.file && step.targetVersion >= step.version)
    sql += history.appliedSql(step.version, step.file.name, step.file.sha256);
  if (step.targetVersion < step.version) sql += history.revertedSql(step.version);
  return sql;
}

function startNote(step: StepInput, protocol: Protocol): string {
  const what = step.file ? step.file.name : `(no ${step.targetVersion >= step.version ? 'up' : 'down'} file)`;
  return `${protocol} run of ${what} towards version ${step.targetVersion} started by pid ${process.pid}; it did not finish (killed, connection lost or the file committed part of itself)`;
}

async function runTransactional(driver: PostgresDriver, history: History, step: StepInput, opts: RunOptions) {
  const c = driver.client;
  const fileName = step.file?.name ?? '';
  const begin = `BEGIN; ${driver.setVersionSql(step.targetVersion, true)}${history.noteSql(step.version, fileName, startNote(step, 'transactional'))}\n`;
  const complete = `${completionSql(driver, history, step)} COMMIT;`;
  try {
    if (opts.multiStatement || !step.file) {
      await c.query(begin);
      await runBody(driver, step, opts);
      await c.query(complete);
      return;
    }
    // One round trip: the whole step is a single simple-protocol query. Server error positions are
    // shifted back by the prefix so they point into the file.
    const body = step.file.body.toString('utf8');
    const text = `${begin}${body}\n;\n${complete}`;
    try {
      await c.query(text);
    } catch (err) {
      throw new BodyError(err, body, -[...begin].length);
    }
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

async function runPlain(driver: PostgresDriver, history: History, step: StepInput, opts: RunOptions) {
  const c = driver.client;
  const fileName = step.file?.name ?? '';
  await c.query(
    `BEGIN; ${driver.setVersionSql(step.targetVersion, true)}${history.noteSql(step.version, fileName, startNote(step, 'plain'))} COMMIT;`,
  );
  try {
    await runBody(driver, step, opts);
  } catch (err) {
    // A body with its own BEGIN may have left the session in an aborted transaction.
    await c.query('ROLLBACK').catch(() => {});
    throw err;
  }
  await c.query(`BEGIN; ${completionSql(driver, history, step)} COMMIT;`);
}

async function runBody(driver: PostgresDriver, step: StepInput, opts: RunOptions): Promise<void> {
  if (!step.file) return;
  const text = step.file.body.toString('utf8');
  if (!opts.multiStatement) {
    if (text.trim() === '') return;
    try {
      await driver.client.query(text);
    } catch (err) {
      throw new BodyError(err, text, 0);
    }
    return;
  }
  if (step.file.body.length > opts.multiStatementMaxSize) {
    throw new Error(
      `migration file ${step.file.name} is larger than x-multi-statement-max-size (${opts.multiStatementMaxSize} bytes)`,
    );
  }
  for (const stmt of splitStatements(text)) {
    try {
      await driver.client.query(stmt.text);
    } catch (err) {
      // Positions the server reports are relative to this statement; shift them into the file.
      const leading = [...text].slice(stmt.start, stmt.end).join('').search(/\S/);
      throw new BodyError(err, stmt.text, stmt.start + Math.max(0, leading));
    }
  }
}

/** Builds the report of a failed step and records it in the history table. */
async function fail(history: History, step: StepInput, err: unknown): Promise<Error> {
  if (!(err instanceof BodyError) || !step.file) return err as Error;
  const server = err.serverError as {
    message?: string;
    position?: string;
    detail?: string;
    hint?: string;
    code?: string;
  };
  const body = step.file.body.toString('utf8');
  const statements = splitStatements(body);
  const shifted = server.position ? Number(server.position) + err.offset : undefined;
  // A position outside the body belongs to our own bookkeeping SQL around it: do not blame the file.
  const pos = shifted !== undefined && shifted >= 1 && shifted <= [...body].length ? shifted : undefined;
  const where = pos !== undefined ? lineColumn(body, pos) : undefined;
  const stmt =
    pos !== undefined ? statementAt(statements, pos) : statements.length === 1 ? statements[0] : undefined;
  let message = `migration failed: ${server.message ?? err.message}`;
  if (where) message += ` (column ${where.column})`;
  if (server.detail) message += `, ${server.detail}`;
  const shown = stmt?.text ?? err.sent.trim();
  message += ` in line ${where?.line ?? 0}: ${shown} (details: ${pqMessage(err.serverError)})`;
  const details = [
    `file: ${step.file.path} (version ${step.version}, ${step.file.direction})`,
    stmt
      ? `statement ${stmt.index} of ${statements.length}${where ? ` at line ${where.line}, column ${where.column}` : ''}: ${stmt.text}`
      : `statement: ${shown}`,
  ];
  if (server.code) details.push(`SQLSTATE ${server.code}`);
  if (server.hint) details.push(`hint: ${server.hint}`);
  await history.note(step.version, step.file.name, `failed: ${details.join('; ')}; ${server.message ?? ''}`);
  return new MigrationFailed(message, details);
}
