/**
 * The HTTP face of the adapter: `/metrics` (text 0.0.4, or OpenMetrics 1.0 when the Accept header
 * prefers it), `/healthz` (the process is serving; says nothing about the source, which `<prefix>up`
 * reports), and a small index on `/`. Anything a client sends is only read for path, method and Accept,
 * so no request can crash the process.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Collector } from '../collect/collector.js';
import { CONTENT_TYPES } from '../expose/exposition.js';
import { negotiateFormat } from '../expose/negotiate.js';
import type { Logger } from '../log.js';

export interface MetricsServerDeps {
  readonly collector: Collector;
  readonly logger: Logger;
  readonly source: string;
}

export class MetricsServer {
  readonly #deps: MetricsServerDeps;
  readonly #server: http.Server;
  #closing = false;

  constructor(deps: MetricsServerDeps) {
    this.#deps = deps;
    this.#server = http.createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) => {
      this.#handle(req, res).catch((err: unknown) => {
        deps.logger.error('request failed', { error: (err as Error).message });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('internal error\n');
      });
    });
    this.#server.keepAliveTimeout = 65_000;
    this.#server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
  }

  listen(host: string | undefined, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.#server.once('error', onError);
      this.#server.listen({ port, ...(host ? { host } : {}) }, () => {
        this.#server.off('error', onError);
        resolve(this.#server.address() as AddressInfo);
      });
    });
  }

  /** Stops accepting, lets in-flight responses finish, drops idle keep-alive sockets. Safe to call twice. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.#server.listening) {
        resolve();
        return;
      }
      this.#closing = true;
      this.#server.close(() => resolve());
      this.#server.closeIdleConnections();
    });
  }

  /** Ends every connection now; the shutdown deadline uses it. */
  closeAll(): void {
    this.#server.closeAllConnections();
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('method not allowed\n');
      return;
    }
    if (path === '/metrics') {
      const format = negotiateFormat(req.headers.accept);
      const snapshot = await this.#deps.collector.snapshot();
      const body = snapshot.bodyBuffer(format);
      // A scrape that was in flight when shutdown began must not leave a keep-alive socket holding
      // the server open until the deadline.
      if (this.#closing) res.setHeader('connection', 'close');
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[format],
        'content-length': body.length,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('ok\n');
      return;
    }
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<html><head><title>metrics-adapter</title></head><body><h1>metrics-adapter</h1>
<p>Source: ${escapeHtml(this.#deps.source)}</p><p><a href="/metrics">/metrics</a> · <a href="/healthz">/healthz</a></p></body></html>\n`);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found: try /metrics\n');
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}
