// Routes of the ambassador's app (port 3000):
//   GET    /health          200 when Redis answers PING through the ambassador, else 503
//   POST   /items/:id       body = value (SET; ?ttl=SECONDS adds EX)   201 {id, bytes}
//   PUT    /items/:id       same as POST
//   GET    /items/:id       200 {id, value} | 404                       (GET)
//   DELETE /items/:id       204 | 404                                   (DEL)
// Errors are JSON {"error":{"code","message","field"?}}; Redis failures are 503 REDIS_UNAVAILABLE.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import { ApiError, deleteItem, getItem, parseTtl, putItem, readBody, sendJson } from './items.js';

export interface AppServer {
  server: Server;
  /**
   * Stops accepting, lets in-flight requests finish (their responses carry `Connection: close` so a
   * keep-alive client does not hold the drain open), cuts what is left after `graceMs`. Call once.
   */
  stop(graceMs: number): Promise<void>;
}

export function createAppServer(redis: Redis, maxItemBytes: number, log: (line: string) => void): AppServer {
  let stopping = false;
  const inFlight = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    if (stopping) res.setHeader('connection', 'close');
    const url = new URL(req.url ?? '/', 'http://localhost');
    route(redis, maxItemBytes, req.method ?? 'GET', url, req)
      .then(([status, body]) => sendJson(res, status, body))
      .catch((e: unknown) => {
        if (e instanceof ApiError) {
          sendJson(res, e.status, {
            error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) },
          });
        } else {
          // Anything not ours comes from the Redis client: connection refused, timeout, error reply.
          log(`${req.method} ${url.pathname}: redis: ${(e as Error).message}`);
          sendJson(res, 503, {
            error: { code: 'REDIS_UNAVAILABLE', message: `redis: ${(e as Error).message}` },
          });
        }
      });
  });
  return {
    server,
    stop(graceMs) {
      stopping = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      return new Promise<void>((resolve) => {
        const cut = setTimeout(() => server.closeAllConnections?.(), graceMs);
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections?.(); // Node >= 18.2; on 16 idle sockets end at keepAliveTimeout
      });
    },
  };
}

async function route(
  redis: Redis,
  maxItemBytes: number,
  method: string,
  url: URL,
  req: IncomingMessage,
): Promise<[number, unknown]> {
  if (url.pathname === '/health') {
    if (method !== 'GET') throw notAllowed(method, url.pathname);
    return [200, { status: 'ok', redis: await redis.ping() }];
  }
  const m = /^\/items\/([^/]+)$/.exec(url.pathname);
  if (!m) throw new ApiError(404, 'NOT_FOUND', `no route for ${url.pathname}`);
  let id: string;
  try {
    id = decodeURIComponent(m[1] as string);
  } catch {
    throw new ApiError(400, 'BAD_ID', `id: not valid percent-encoding: "${m[1]}"`, 'id');
  }
  switch (method) {
    case 'POST':
    case 'PUT': {
      const ttl = parseTtl(url.searchParams.get('ttl'));
      return [201, await putItem(redis, id, await readBody(req, maxItemBytes), ttl)];
    }
    case 'GET':
      return [200, await getItem(redis, id)];
    case 'DELETE':
      await deleteItem(redis, id);
      return [204, undefined];
    default:
      throw notAllowed(method, url.pathname);
  }
}

const notAllowed = (method: string, path: string) =>
  new ApiError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}`);
