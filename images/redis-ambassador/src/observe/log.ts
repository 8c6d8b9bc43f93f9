/** Structured JSON logs (pino) on stdout: one object per event with an `event` field to filter on. */
import { type Logger, pino } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { component: 'redis-ambassador' }, timestamp: pino.stdTimeFunctions.isoTime });
}

/** A logger that drops everything, for unit tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
