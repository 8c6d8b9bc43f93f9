/**
 * The shipper's own diagnostics: JSON lines on stderr (pino), so stdout carries only shipped
 * records and `kubectl logs -c log-shipper` can still tell the two apart. Synchronous writes:
 * diagnostics are rare, and a message logged right before exit must not be lost.
 */
import pino from 'pino';
import type { LogLevel } from './config/types.js';

export type Logger = pino.Logger;

export function createLogger(level: LogLevel): Logger {
  return pino(
    { name: 'log-shipper', level, base: { name: 'log-shipper' }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: 2, sync: true }),
  );
}
