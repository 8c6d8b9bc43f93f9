// The legacy app's traffic server (port 8080). Its responses are what the stats count: each finished
// response is recorded once, with its status and its time from request start to the last byte.
//   GET /            200 greeting
//   GET /health      200 "ok"
//   GET /work?ms=N   200 after N ms (0..10000): shapes response_time on demand
//   GET /fail        500 on demand: shapes errors_total
//   anything else    404 (counted as a request, not as an error), 400 for a bad ms, 405 for non-GET
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { RequestStats } from './stats.js';

const MAX_WORK_MS = 10_000;

export function createTrafficServer(stats: RequestStats): Server {
  return createServer((req, res) => {
    const start = process.hrtime.bigint();
    res.once('finish', () => stats.record(res.statusCode, Number(process.hrtime.bigint() - start) / 1e9));
    handle(req, res);
  });
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    text(res, 405, `${req.method} is not allowed\n`);
    return;
  }
  switch (url.pathname) {
    case '/':
      text(res, 200, 'legacy-app: hello from the legacy application\n');
      return;
    case '/health':
      text(res, 200, 'ok\n');
      return;
    case '/fail':
      text(res, 500, 'legacy-app: failure on demand\n');
      return;
    case '/work': {
      const raw = url.searchParams.get('ms') ?? '0';
      if (!/^\d+$/.test(raw) || Number(raw) > MAX_WORK_MS) {
        text(res, 400, `ms: want an integer from 0 to ${MAX_WORK_MS}, got "${raw}"\n`);
        return;
      }
      const ms = Number(raw);
      const timer = setTimeout(() => text(res, 200, `legacy-app: worked ${ms}ms\n`), ms);
      // A client that went away must not keep a timer; its request was not served, so it is not counted.
      res.once('close', () => clearTimeout(timer));
      return;
    }
    default:
      text(res, 404, `no such page: ${url.pathname}\n`);
  }
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
