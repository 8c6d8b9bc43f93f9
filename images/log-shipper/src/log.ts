/**
 * The shipper's own diagnostics: JSON lines on stderr, so stdout carries only shipped records and
 * `kubectl logs -c log-shipper` can still tell the two apart. Writes are synchronous: diagnostics
 * are rare, and a message logged right before exit must not be lost. A few lines instead of a
 * logging library: pino alone adds several MiB of resident memory to a 64 Mi sidecar.
 */
import { writeSync } from 'node:fs';
import type { LogLevel } from './config/types.js';

const RANK: Readonly<Record<LogLevel | 'fatal', number>> = {
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

type LogFn = {
  (msg: string): void;
  (fields: Record<string, unknown>, msg: string): void;
};

export interface Logger {
  readonly debug: LogFn;
  readonly info: LogFn;
  readonly warn: LogFn;
  readonly error: LogFn;
  readonly fatal: LogFn;
}

export function createLogger(level: LogLevel, fd = 2): Logger {
  const make =
    (name: LogLevel | 'fatal'): LogFn =>
    (a: Record<string, unknown> | string, b?: string) => {
      if (RANK[name] < RANK[level]) return;
      const fields = typeof a === 'string' ? {} : a;
      const msg = typeof a === 'string' ? a : (b ?? '');
      const entry: Record<string, unknown> = {
        level: name,
        time: new Date().toISOString(),
        name: 'log-shipper',
        msg,
      };
      for (const [k, v] of Object.entries(fields))
        entry[k] = v instanceof Error ? { message: v.message, stack: v.stack } : v;
      try {
        writeSync(fd, `${JSON.stringify(entry)}\n`);
      } catch {
        // stderr closed: nothing better to do
      }
    };
  return {
    debug: make('debug'),
    info: make('info'),
    warn: make('warn'),
    error: make('error'),
    fatal: make('fatal'),
  };
}
