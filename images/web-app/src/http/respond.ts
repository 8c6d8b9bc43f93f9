// The one place that writes response bodies: JSON, with typed errors mapped to their status.
import type { ServerResponse } from 'node:http';
import { WebAppError } from '../errors.js';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body, jsonSafe)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** Unknown errors become 500 WEBAPP_INTERNAL; their message is logged, not sent. */
export function sendError(res: ServerResponse, error: unknown, log: (line: string) => void): void {
  if (error instanceof WebAppError) {
    sendJson(res, error.status, {
      error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
    });
    return;
  }
  log(`internal error: ${(error as Error)?.stack ?? String(error)}`);
  sendJson(res, 500, { error: { code: 'WEBAPP_INTERNAL', message: 'internal error' } });
}

// pg returns int8/numeric as strings already; a BigInt can only come from app code, but must not crash.
function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
