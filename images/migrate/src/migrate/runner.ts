// Runs up/down/goto the way golang-migrate's Migrate.Up/Steps/Migrate do (lock, read version, refuse a
// dirty database, apply steps in order, unlock), with podbay's transactional steps, dirty-state
// explanation and SIGTERM handling. Contract: the caller owns the connection; this file takes and
// always releases the advisory lock.
import { formatGoDuration } from '../cli/duration.js';
import type { History } from '../database/history.js';
import type { PostgresDriver } from '../database/postgres.js';
import { type RunOptions, runStep, type StepInput } from '../database/run-migration.js';
import { DirtyError, MigrateError, MigrationFailed, Stopped } from '../errors.js';
import type { Log } from '../log.js';
import { readBody, type SourceIndex, sha256 } from '../source/files.js';
import { type Command, NIL_VERSION, plan, type Step } from './plan.js';
import type { StopController } from './stop.js';

export interface RunnerDeps {
  driver: PostgresDriver;
  history: History;
  source: SourceIndex;
  log: Log;
  lockTimeoutMs: number;
  stop: StopController;
  run: Omit<RunOptions, 'onProtocol'>;
}

export async function withLock<T>(
  deps: Pick<RunnerDeps, 'driver' | 'lockTimeoutMs'>,
  fn: () => Promise<T>,
): Promise<T> {
  await deps.driver.lock(deps.lockTimeoutMs);
  try {
    return await fn();
  } finally {
    await deps.driver.unlock().catch(() => {});
  }
}

export async function migrate(deps: RunnerDeps, cmd: Command): Promise<void> {
  if (cmd.kind !== 'goto' && cmd.limit === 0) {
    const p = plan(deps.source, NIL_VERSION, cmd);
    if (p.error) throw p.error;
  }
  await withLock(deps, async () => {
    const { version, dirty } = await deps.driver.version();
    if (dirty) throw new DirtyError(version, await explainDirty(deps, version));
    const p = plan(deps.source, version, cmd);
    let at = version;
    for (const step of p.steps) {
      if (deps.stop.requested) return stopped(deps, at);
      await runOne(deps, step, at);
      at = step.targetVersion;
    }
    if (deps.stop.kind === 'terminate') return stopped(deps, at);
    if (p.error) throw p.error;
  });
}

function stopped(deps: RunnerDeps, at: bigint): void {
  if (deps.stop.kind === 'terminate') {
    throw new Stopped(
      `stopped by SIGTERM; database left clean at version ${at === NIL_VERSION ? 'none' : at}`,
      143,
    );
  }
}

function label(step: Step, input: StepInput): string {
  const dir = step.targetVersion < step.version ? 'd' : 'u';
  const identifier = input.file ? input.file.name.replace(/^[0-9]+_(.*)\.(up|down)\..*$/s, '$1') : '';
  return `${step.version}/${dir} ${identifier}`;
}

async function runOne(deps: RunnerDeps, step: Step, from: bigint): Promise<void> {
  const started = process.hrtime.bigint();
  const direction = step.targetVersion >= step.version ? 'up' : 'down';
  const file = deps.source.file(step.version, direction);
  const input: StepInput = { version: step.version, targetVersion: step.targetVersion };
  if (file) {
    deps.log.verbosePrintln(`Start buffering ${step.version}/${direction[0]} ${file.identifier}`);
    const body = readBody(file);
    // The checksum recorded is always the up file's, which is what `validate` compares.
    const upFile = direction === 'up' ? file : deps.source.file(step.version, 'up');
    const upSha = upFile ? (upFile === file ? sha256(body) : sha256(readBody(upFile))) : '';
    input.file = { name: file.name, path: file.path, body, sha256: upSha, direction };
  }
  const read = process.hrtime.bigint();
  const name = label(step, input);
  deps.log.verbosePrintln(`Read and execute ${name}`);
  try {
    await runStep(deps.driver, deps.history, input, {
      ...deps.run,
      onProtocol: (p) => deps.stop.running(p),
    });
  } catch (err) {
    if (deps.stop.kind === 'terminate') {
      throw new Stopped(
        `stopped by SIGTERM during ${name}: rolled back, database left clean at version ${from === NIL_VERSION ? 'none' : from}`,
        143,
      );
    }
    if (err instanceof MigrationFailed && deps.run.useTransaction) {
      const now = await deps.driver.version().catch(() => undefined);
      if (now && !now.dirty)
        err.details.push(
          `rolled back: database left at version ${now.version === NIL_VERSION ? 'none' : now.version}, not dirty`,
        );
    }
    throw err;
  } finally {
    deps.stop.running(undefined);
  }
  const end = process.hrtime.bigint();
  if (deps.log.verbose) {
    deps.log.println(
      `Finished ${name} (read ${formatGoDuration(read - started)}, ran ${formatGoDuration(end - read)})`,
    );
  } else {
    deps.log.println(`${name} (${formatGoDuration(end - started)})`);
  }
}

/** What we know about a dirty version, and the two ways out. */
export async function explainDirty(
  deps: Pick<RunnerDeps, 'history' | 'source'>,
  version: bigint,
): Promise<string[]> {
  const lines: string[] = [];
  const row = await deps.history.row(version).catch(() => undefined);
  const up = deps.source.file(version, 'up');
  const down = deps.source.file(version, 'down');
  const files = [up?.name, down?.name].filter(Boolean).join(' / ');
  lines.push(
    `version ${version} is marked dirty: a migration to it started and did not finish cleanly${files ? ` (files: ${files})` : ''}`,
  );
  if (row?.note) lines.push(`last recorded at ${row.notedAt}: ${row.note}`);
  else
    lines.push(
      'no failure was recorded: the runner was killed or lost its connection while the migration ran',
    );
  const prev = deps.source.prev(version);
  lines.push(
    `check the database by hand, then run \`migrate force ${version}\` if that migration's changes are all present, or \`migrate force ${prev ?? -1}\` if none are (fix any half-applied part first)`,
  );
  return lines;
}

export function describeVersion(v: bigint): string {
  if (v === NIL_VERSION) throw new MigrateError('no migration');
  return String(v);
}
