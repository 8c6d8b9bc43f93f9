// The CLI: golang-migrate's internal/cli/main.go flow (global flags, one command, its own flags),
// returning the exit status instead of calling os.Exit so it can be tested.
import type pg from 'pg';
import { cancelBackend, connect } from '../database/connect.js';
import { History } from '../database/history.js';
import { PostgresDriver } from '../database/postgres.js';
import { parseDatabaseUrl } from '../database/url.js';
import { ConfigError, DirtyError, MigrateError, MigrationFailed, NoChange, Stopped } from '../errors.js';
import { createLog, type Log } from '../log.js';
import type { Command } from '../migrate/plan.js';
import { explainDirty, migrate, withLock } from '../migrate/runner.js';
import type { StopController } from '../migrate/stop.js';
import { validate } from '../migrate/validate.js';
import { createMigration, DEFAULT_TIME_FORMAT } from '../source/create.js';
import { readSource, sourceDirFromFlags } from '../source/files.js';
import { confirm } from './confirm.js';
import { formatGoDuration } from './duration.js';
import { FlagError, type FlagValues, parseFlags } from './flags.js';
import { USAGE, VERSION } from './usage.js';

const GLOBAL_FLAGS = {
  help: 'bool',
  version: 'bool',
  verbose: 'bool',
  prefetch: 'uint',
  'lock-timeout': 'uint',
  path: 'string',
  database: 'string',
  source: 'string',
  'wait-for-db': 'duration',
} as const;

interface Globals {
  verbose: boolean;
  lockTimeoutMs: number;
  path: string;
  database: string;
  source: string;
  waitForDbMs: number;
}

export interface RunIo {
  stderr: (s: string) => void;
  stop: StopController;
}

export async function run(argv: string[], io: RunIo): Promise<number> {
  const started = process.hrtime.bigint();
  let parsed: { values: FlagValues; rest: string[] };
  try {
    parsed = parseFlags(argv, GLOBAL_FLAGS);
  } catch (err) {
    return usageError(io, err);
  }
  const v = parsed.values;
  const log = createLog(v.verbose === true, io.stderr);
  if (v.version) {
    io.stderr(`${VERSION}\n`);
    return 0;
  }
  if (v.help) {
    io.stderr(USAGE);
    return 0;
  }
  const g: Globals = {
    verbose: v.verbose === true,
    lockTimeoutMs: ((v['lock-timeout'] as number | undefined) ?? 15) * 1000,
    path: (v.path as string | undefined) ?? '',
    database: (v.database as string | undefined) ?? '',
    source: (v.source as string | undefined) ?? '',
    waitForDbMs: (v['wait-for-db'] as number | undefined) ?? 0,
  };
  const [command, ...args] = parsed.rest;
  if (command === undefined) {
    io.stderr(USAGE);
    return 2;
  }
  try {
    const code = await dispatch(command, args, g, log, io);
    if (g.verbose && code === 0 && command !== 'create' && command !== 'version') {
      log.println('Finished after', formatGoDuration(process.hrtime.bigint() - started));
    }
    return code;
  } catch (err) {
    return report(err, log, io);
  }
}

function usageError(io: RunIo, err: unknown): number {
  if (err instanceof FlagError) {
    if (err.message) io.stderr(`${err.message}\n`);
    io.stderr(USAGE);
    return err.exitCode;
  }
  throw err;
}

function report(err: unknown, log: Log, io: RunIo): number {
  if (io.stop.kind === 'terminate' && !(err instanceof Stopped)) {
    // Whatever was interrupted (a lock wait, a connection retry) failed because we cancelled it.
    log.println(`stopped by SIGTERM: ${(err as Error).message}`);
    return 143;
  }
  if (err instanceof NoChange) {
    log.println('no change');
    return 0;
  }
  if (err instanceof FlagError) return usageError(io, err);
  if (err instanceof Stopped) {
    log.println(err.message);
    return err.exitCode;
  }
  if (err instanceof MigrateError) {
    log.println('error:', err.message);
    const extra =
      err instanceof DirtyError ? err.explanation : err instanceof MigrationFailed ? err.details : [];
    for (const line of extra) log.println(`  ${line}`);
    return 1;
  }
  const e = err as Error;
  log.println('error:', e.message ?? String(err));
  return 1;
}

function parseVersionArg(text: string | undefined, allowNegative: boolean): bigint {
  if (text === undefined) throw new MigrateError('please specify version argument V');
  const ok = allowNegative ? /^[+-]?\d+$/.test(text) : /^\+?\d+$/.test(text);
  if (!ok) throw new MigrateError("can't read version argument V");
  const n = BigInt(text);
  if (allowNegative && n < -1n) throw new MigrateError('argument V must be >= -1');
  return n;
}

async function dispatch(command: string, args: string[], g: Globals, log: Log, io: RunIo): Promise<number> {
  // `migrate up -help` and friends print usage and exit 0, as golang-migrate's handleSubCmdHelp does.
  const end = args.findIndex((a) => !a.startsWith('-'));
  if ((end < 0 ? args : args.slice(0, end)).some((a) => /^--?(help|h)(=true)?$/.test(a))) {
    io.stderr(USAGE);
    return 0;
  }
  switch (command) {
    case 'create': {
      const f = parseFlags(args, {
        ext: 'string',
        dir: 'string',
        format: 'string',
        tz: 'string',
        seq: 'bool',
        digits: 'int',
        help: 'bool',
      });
      const name = f.rest[0];
      if (name === undefined) throw new MigrateError('please specify name');
      if (!f.values.ext) throw new MigrateError('-ext flag must be specified');
      const paths = createMigration({
        dir: (f.values.dir as string | undefined) ?? '',
        name,
        ext: f.values.ext as string,
        seq: f.values.seq === true,
        digits: (f.values.digits as number | undefined) ?? 6,
        format: (f.values.format as string | undefined) ?? DEFAULT_TIME_FORMAT,
        tz: (f.values.tz as string | undefined) ?? 'UTC',
        now: new Date(),
      });
      for (const p of paths) log.println(p);
      return 0;
    }
    case 'up':
    case 'down':
    case 'goto': {
      const cmd = parseMigrateCommand(command, args);
      if (cmd.kind === 'down' && cmd.limit === -2) {
        log.println('Are you sure you want to apply all down migrations? [y/N]');
        if (!(await confirm())) throw new MigrateError('Not applying all down migrations');
        log.println('Applying all down migrations');
        cmd.limit = -1;
      }
      return withDatabase(g, log, io, true, async (d) => {
        await migrate(
          { ...d, log, lockTimeoutMs: g.lockTimeoutMs, stop: io.stop, run: runOptions(d.driver) },
          cmd,
        );
        return 0;
      });
    }
    case 'force': {
      const f = parseFlags(args, { help: 'bool' });
      const version = parseVersionArg(f.rest[0], true);
      return withDatabase(g, log, io, false, async (d) => {
        await withLock({ driver: d.driver, lockTimeoutMs: g.lockTimeoutMs }, () =>
          d.driver.setVersion(version, false),
        );
        return 0;
      });
    }
    case 'version':
      return withDatabase(g, log, io, false, async (d) => {
        const { version, dirty } = await d.driver.version();
        if (version < 0n) throw new MigrateError('no migration');
        log.println(dirty ? `${version} (dirty)` : String(version));
        if (dirty && g.verbose) for (const line of await explainDirty(d, version)) log.println(`  ${line}`);
        return 0;
      });
    case 'drop': {
      const f = parseFlags(args, { f: 'bool', help: 'bool' });
      if (f.values.f !== true) {
        log.println('Are you sure you want to drop the entire database schema? [y/N]');
        if (!(await confirm())) throw new MigrateError('Aborted dropping the entire database schema');
        log.println('Dropping the entire database schema');
      }
      return withDatabase(g, log, io, false, async (d) => {
        await withLock({ driver: d.driver, lockTimeoutMs: g.lockTimeoutMs }, () => d.driver.drop());
        return 0;
      });
    }
    case 'validate':
      return withDatabase(g, log, io, true, async (d) => {
        await validate({ ...d, log });
        return 0;
      });
    default:
      io.stderr(USAGE);
      return 2;
  }
}

function parseMigrateCommand(command: string, args: string[]): Command {
  if (command === 'goto') {
    const f = parseFlags(args, { help: 'bool' });
    return { kind: 'goto', version: parseVersionArg(f.rest[0], false) };
  }
  if (command === 'up') {
    const f = parseFlags(args, { help: 'bool' });
    const n = f.rest[0];
    if (n !== undefined && !/^\+?\d+$/.test(n)) throw new MigrateError("can't read limit argument N");
    return { kind: 'up', limit: n === undefined ? -1 : Number(n) };
  }
  const f = parseFlags(args, { all: 'bool', help: 'bool' });
  if (f.values.all === true) {
    if (f.rest.length > 0) throw new MigrateError('-all cannot be used with other arguments');
    return { kind: 'down', limit: -1 };
  }
  if (f.rest.length === 0) return { kind: 'down', limit: -2 }; // -2: ask for confirmation first
  if (f.rest.length > 1) throw new MigrateError('too many arguments');
  if (!/^\+?\d+$/.test(f.rest[0] as string)) throw new MigrateError("can't read limit argument N");
  return { kind: 'down', limit: Number(f.rest[0]) };
}

function runOptions(driver: PostgresDriver) {
  const o = driver.target.options;
  return {
    useTransaction: o.useTransaction,
    multiStatement: o.multiStatement,
    multiStatementMaxSize: o.multiStatementMaxSize,
  };
}

interface Opened {
  driver: PostgresDriver;
  history: History;
  source: ReturnType<typeof readSource>;
}

/** Opens source (when needed) and database, runs `fn`, always closes the connection. */
async function withDatabase(
  g: Globals,
  log: Log,
  io: RunIo,
  needsSource: boolean,
  fn: (d: Opened) => Promise<number>,
): Promise<number> {
  const dir = sourceDirFromFlags(g.source, g.path);
  if (needsSource && dir === undefined)
    throw new ConfigError('URL cannot be empty (set -path or -source)', '-path');
  const source = dir !== undefined ? readSource(dir) : readSource.empty();
  if (g.database === '') throw new ConfigError('URL cannot be empty (set -database)', '-database');
  const target = parseDatabaseUrl(g.database);
  let client: pg.Client | undefined;
  try {
    client = await connect(target, {
      waitForDbMs: g.waitForDbMs,
      log: (l) => log.println(l),
      signal: io.stop.signal,
    });
    if (io.stop.kind === 'terminate') throw new MigrateError('stopped by SIGTERM before connecting');
    const opened = client;
    io.stop.setCanceller(async () => {
      const pid = (opened as unknown as { processID?: number }).processID;
      if (pid) await cancelBackend(target.client, pid);
    });
    const driver = await PostgresDriver.open(client, target, g.lockTimeoutMs);
    const history = new History(client, driver);
    const warning = await withLock({ driver, lockTimeoutMs: g.lockTimeoutMs }, () => history.ensure());
    if (warning) log.verbosePrintln(warning);
    return await fn({ driver, history, source });
  } finally {
    io.stop.setCanceller(undefined);
    log.verbosePrintln('Closing source and database');
    await client?.end().catch(() => {});
  }
}
