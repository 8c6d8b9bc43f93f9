// The legacy app's admin server (port 8888): its stats, in the custom format, at METRICS_ENDPOINT.
// Reads of the stats are not traffic and are not counted (the converter polls them every 30 s).
import { createServer, type Server } from 'node:http';
import { formatCustomStats, type RequestStats } from './stats.js';

export function createAdminServer(stats: RequestStats, statsPath: string): Server {
  return createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const [status, body] =
      pathname !== statsPath
        ? [404, `no such admin page: ${pathname} (stats are at ${statsPath})\n`]
        : req.method !== 'GET' && req.method !== 'HEAD'
          ? [405, `${req.method} is not allowed\n`]
          : [200, formatCustomStats(stats.snapshot())];
    res.writeHead(status, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
    });
    res.end(body);
  });
}
