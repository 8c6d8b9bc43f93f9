// `create [-ext E] [-dir D] [-seq] [-digits N] [-format F] [-tz TZ] NAME`, as golang-migrate's
// internal/cli/commands.go createCmd: next sequence number from the last `*ext` file (sorted by
// name), or a timestamp; refuses a version that already exists; creates both files exclusively.
import { closeSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MigrateError } from '../errors.js';

export const DEFAULT_TIME_FORMAT = '20060102150405';

export interface CreateOptions {
  dir: string;
  name: string;
  ext: string;
  seq: boolean;
  digits: number;
  format: string;
  tz: string;
  now: Date;
}

export function nextSeqVersion(names: string[], digits: number): string {
  if (digits <= 0) throw new MigrateError('Digits must be positive');
  let next = 1n;
  const last = names[names.length - 1];
  if (last !== undefined) {
    const idx = last.indexOf('_');
    if (idx < 1) throw new MigrateError(`Malformed migration filename: ${last}`);
    const digitsText = last.slice(0, idx);
    if (!/^\d+$/.test(digitsText))
      throw new MigrateError(`strconv.ParseUint: parsing "${digitsText}": invalid syntax`);
    next = BigInt(digitsText) + 1n;
  }
  const version = String(next).padStart(digits, '0');
  if (version.length > digits)
    throw new MigrateError(`Next sequence number ${version} too large. At most ${digits} digits are allowed`);
  return version;
}

/** A subset of Go's time layout: 2006 01 02 15 04 05 and .000/.000000/.000000000; "unix", "unixNano". */
export function timeVersion(now: Date, format: string, tz: string): string {
  if (format === '') throw new MigrateError('Time format may not be empty');
  if (format === 'unix') return String(Math.floor(now.getTime() / 1000));
  if (format === 'unixNano') return `${BigInt(now.getTime()) * 1_000_000n}`;
  let parts: Record<string, string>;
  try {
    parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: tz,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      })
        .formatToParts(now)
        .map((p) => [p.type, p.value]),
    );
  } catch {
    throw new MigrateError(`unknown time zone ${tz}`, '-tz');
  }
  const ms = String(now.getUTCMilliseconds()).padStart(3, '0');
  return format.replace(/2006|\.000000000|\.000000|\.000|01|02|15|04|05/g, (tok) => {
    switch (tok) {
      case '2006':
        return parts.year as string;
      case '01':
        return parts.month as string;
      case '02':
        return parts.day as string;
      case '15':
        return parts.hour as string;
      case '04':
        return parts.minute as string;
      case '05':
        return parts.second as string;
      default:
        return `.${ms.padEnd(tok.length - 1, '0')}`;
    }
  });
}

/** Returns the absolute paths created (up first), which the CLI prints. */
export function createMigration(opts: CreateOptions): string[] {
  if (opts.seq && opts.format !== DEFAULT_TIME_FORMAT)
    throw new MigrateError('The seq and format options are mutually exclusive');
  const dir = resolve(opts.dir || '.');
  const ext = `.${opts.ext.replace(/^\./, '')}`;
  const listing = (() => {
    try {
      return readdirSync(dir).sort();
    } catch {
      return [];
    }
  })();
  const version = opts.seq
    ? nextSeqVersion(
        listing.filter((n) => n.endsWith(ext)),
        opts.digits,
      )
    : timeVersion(opts.now, opts.format, opts.tz);
  if (listing.some((n) => n.startsWith(`${version}_`) && n.endsWith(ext))) {
    throw new MigrateError(`duplicate migration version: ${version}`);
  }
  mkdirSync(dir, { recursive: true });
  const created: string[] = [];
  for (const direction of ['up', 'down']) {
    const path = join(dir, `${version}_${opts.name}.${direction}${ext}`);
    try {
      closeSync(openSync(path, 'wx', 0o666));
    } catch (err) {
      throw new MigrateError(
        `open ${path}: ${(err as NodeJS.ErrnoException).code === 'EEXIST' ? 'file exists' : (err as Error).message}`,
      );
    }
    created.push(path);
  }
  return created;
}
