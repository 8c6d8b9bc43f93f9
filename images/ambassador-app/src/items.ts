// The API's handlers: items are strings stored under `item:<id>` in Redis, written with SET (optionally
// EX ttl) and DEL, read with GET, all through REDIS_HOST:REDIS_PORT, which in the seed's pod is the
// ambassador on localhost:6379. The app neither knows nor cares which Redis serves which command.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';

/** A client error: status 4xx, a stable code, and the field (path segment, query, body) it is about. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** How much of an oversized body is read and dropped before the connection is cut instead. */
const DISCARD_LIMIT = 1024 * 1024;

const ID = /^[A-Za-z0-9_.:-]{1,128}$/;

export function itemKey(id: string): string {
  if (!ID.test(id)) {
    throw new ApiError(400, 'BAD_ID', `id: want 1-128 of A-Z a-z 0-9 _ . : -, got "${id}"`, 'id');
  }
  return `item:${id}`;
}

export function parseTtl(raw: string | null): number | undefined {
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 365 * 24 * 3600) {
    throw new ApiError(400, 'BAD_TTL', `ttl: want seconds from 1 to 31536000, got "${raw}"`, 'ttl');
  }
  return Number(raw);
}

/**
 * Reads the whole body as UTF-8, refusing more than `limit` bytes (413) and an empty body (400). An
 * oversized body is still read to its end and discarded, so the client receives the 413 instead of a
 * reset connection, unless it goes on for more than DISCARD_LIMIT bytes: then the connection is cut.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > limit + DISCARD_LIMIT) req.destroy();
    });
    req.once('end', () => {
      if (size > limit) {
        reject(new ApiError(413, 'TOO_LARGE', `body: ${size} bytes, more than the ${limit} allowed`, 'body'));
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      if (text === '') reject(new ApiError(400, 'EMPTY_BODY', 'body: empty; send the item value', 'body'));
      else resolve(text);
    });
    req.once('error', reject);
    // After a cut (or a client that went away) no 'end' comes; settle so nothing waits forever.
    req.once('close', () =>
      reject(new ApiError(400, 'BODY_INCOMPLETE', 'body: connection closed before its end', 'body')),
    );
  });
}

export async function putItem(redis: Redis, id: string, value: string, ttl: number | undefined) {
  const key = itemKey(id);
  if (ttl === undefined) await redis.set(key, value);
  else await redis.set(key, value, 'EX', ttl);
  return { id, bytes: Buffer.byteLength(value), ...(ttl === undefined ? {} : { ttlSeconds: ttl }) };
}

export async function getItem(redis: Redis, id: string) {
  const value = await redis.get(itemKey(id));
  if (value === null) throw new ApiError(404, 'NOT_FOUND', `item ${id} not found`);
  return { id, value };
}

export async function deleteItem(redis: Redis, id: string): Promise<void> {
  if ((await redis.del(itemKey(id))) === 0) throw new ApiError(404, 'NOT_FOUND', `item ${id} not found`);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
