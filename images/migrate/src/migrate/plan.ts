// Pure planning of which migrations a command runs, a line-by-line port of golang-migrate v4.15.2
// migrate.go read/readUp/readDown. The Go code streams migrations then possibly an error through a
// channel; here the same thing is a list of steps plus an optional trailing error, so the runner
// applies the steps first and then fails exactly where golang-migrate does ("limit 2 short").
import { MigrateError, NoChange } from '../errors.js';
import type { SourceIndex } from '../source/files.js';

/** -1n is golang-migrate's NilVersion (no row in schema_migrations). */
export const NIL_VERSION = -1n;

export interface Step {
  /** The version whose file runs (up file when target >= version, else the down file). */
  readonly version: bigint;
  /** The version written to schema_migrations after the step. */
  readonly targetVersion: bigint;
}

export interface Plan {
  readonly steps: Step[];
  /** Raised after the steps ran; NoChange is "no change" (exit 0). */
  readonly error?: MigrateError;
}

export type Command =
  | { kind: 'up'; limit: number } // limit -1 = all
  | { kind: 'down'; limit: number }
  | { kind: 'goto'; version: bigint };

const notExist = (op: string): MigrateError => new MigrateError(`${op} .: file does not exist`);

function versionExists(src: SourceIndex, version: bigint): MigrateError | undefined {
  if (src.has(version)) return undefined;
  return new MigrateError(
    `no migration found for version ${version}: read down for version ${version} .: file does not exist`,
  );
}

export function plan(src: SourceIndex, current: bigint, cmd: Command): Plan {
  if (current >= 0n) {
    const err = versionExists(src, current);
    if (err) return { steps: [], error: err };
  }
  switch (cmd.kind) {
    case 'up':
      return planUp(src, current, cmd.limit);
    case 'down':
      return planDown(src, current, cmd.limit);
    case 'goto':
      return planGoto(src, current, cmd.version);
  }
}

function planGoto(src: SourceIndex, from: bigint, to: bigint): Plan {
  const err = versionExists(src, to);
  if (err) return { steps: [], error: err };
  if (from === to) return { steps: [], error: new NoChange() };
  const steps: Step[] = [];
  if (from < to) {
    if (from === NIL_VERSION) {
      const first = src.first() as bigint; // `to` exists, so the source is not empty
      steps.push({ version: first, targetVersion: first });
      from = first;
    }
    while (from < to) {
      const next = src.next(from);
      if (next === undefined) return { steps, error: notExist(`next for version ${from}`) };
      steps.push({ version: next, targetVersion: next });
      from = next;
    }
    return { steps };
  }
  while (from > to && from >= 0n) {
    const prev = src.prev(from);
    if (prev === undefined) {
      // Only reachable for to == -1 in golang-migrate; `goto` takes uint so this is "file does not exist".
      return { steps, error: notExist(`prev for version ${from}`) };
    }
    steps.push({ version: from, targetVersion: prev });
    from = prev;
  }
  return { steps };
}

function planUp(src: SourceIndex, from: bigint, limit: number): Plan {
  if (limit === 0) return { steps: [], error: new NoChange() };
  const steps: Step[] = [];
  let count = 0;
  while (count < limit || limit === -1) {
    if (from === NIL_VERSION) {
      const first = src.first();
      if (first === undefined) return { steps, error: notExist('first') };
      steps.push({ version: first, targetVersion: first });
      from = first;
      count++;
      continue;
    }
    const next = src.next(from);
    if (next === undefined) {
      if (limit === -1 && count === 0) return { steps, error: new NoChange() };
      if (limit === -1) return { steps };
      if (count === 0) return { steps, error: new MigrateError('file does not exist') };
      return { steps, error: new MigrateError(`limit ${limit - count} short`) };
    }
    steps.push({ version: next, targetVersion: next });
    from = next;
    count++;
  }
  return { steps };
}

function planDown(src: SourceIndex, from: bigint, limit: number): Plan {
  if (limit === 0) return { steps: [], error: new NoChange() };
  if (from === NIL_VERSION && limit === -1) return { steps: [], error: new NoChange() };
  if (from === NIL_VERSION) return { steps: [], error: new MigrateError('file does not exist') };
  const steps: Step[] = [];
  let count = 0;
  while (count < limit || limit === -1) {
    const prev = src.prev(from);
    if (prev === undefined) {
      if (limit === -1 || limit - count > 0) {
        steps.push({ version: src.first() as bigint, targetVersion: NIL_VERSION });
        count++;
      }
      if (limit !== -1 && count < limit) {
        return { steps, error: new MigrateError(`limit ${limit - count} short`) };
      }
      return { steps };
    }
    steps.push({ version: from, targetVersion: prev });
    from = prev;
    count++;
  }
  return { steps };
}
