/**
 * The data path of podbay's ingress controller: one handler for the HTTP and HTTPS listeners
 * that routes each request (routes.ts), resolves the backend to an upstream (backends.ts) and
 * forwards to it, as ingress-nginx's generated nginx.conf does:
 *
 *  - the request is streamed both ways (pipe with backpressure: nothing is buffered whole), its
 *    Host kept, hop-by-hop headers dropped, and X-Forwarded-For (appended), X-Forwarded-Host,
 *    X-Forwarded-Proto, X-Forwarded-Port, X-Real-IP, X-Scheme and X-Request-ID set;
 *  - no route: 404; no upstream (missing Service, port or ready endpoint): 503; an upstream
 *    that refuses or fails before answering: 502; none that connects within 5 s
 *    (proxy-connect-timeout) or answers within 60 s of silence (proxy-read-timeout): 504;
 *  - upstreams of one Service port are taken round-robin;
 *  - `Connection: Upgrade` requests (WebSocket) are passed through as a raw byte tunnel once the
 *    upstream connects, idle for at most an hour.
 * Malformed requests are answered 400 by the listener (controller.ts) and never reach here.
 */
import { randomBytes } from 'node:crypto';
import {
  Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Resolution, Upstream } from './backends.js';
import { type Route, upstreamTarget } from './routes.js';

export const CONNECT_TIMEOUT_MS = 5_000;
export const READ_TIMEOUT_MS = 60_000;
export const TUNNEL_IDLE_TIMEOUT_MS = 3_600_000;

/** RFC 9110 §7.6.1 connection-specific headers, plus the legacy ones proxies drop. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export interface ProxyDeps {
  route(host: string | undefined, path: string): Route | undefined;
  resolve(route: Route): Resolution;
  log(msg: string, fields?: Record<string, unknown>): void;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

/** nginx's error page shape, so learners see what an ingress-nginx cluster shows. */
export function errorPage(code: number): string {
  const title = `${code} ${STATUS_TEXT[code] ?? ''}`.trim();
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>podbay ingress</center>\r\n</body>\r\n</html>\r\n`;
}

/** The request's path without the query; undefined when the target is not a path (400). */
export function requestPath(url: string | undefined): string | undefined {
  if (!url) return undefined;
  if (url.startsWith('/')) {
    const q = url.search(/[?#]/);
    return q < 0 ? url : url.slice(0, q);
  }
  try {
    return new URL(url).pathname; // absolute-form, as a client configured with a proxy sends
  } catch {
    return undefined;
  }
}

function forwardedHeaders(
  req: IncomingMessage,
  scheme: 'http' | 'https',
  listenPort: number,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const connectionTokens = new Set(
    String(req.headers.connection ?? '')
      .toLowerCase()
      .split(',')
      .map((t) => t.trim()),
  );
  for (const [name, value] of Object.entries(req.headers as IncomingHttpHeaders)) {
    if (value === undefined || HOP_BY_HOP.has(name) || connectionTokens.has(name)) continue;
    out[name] = value;
  }
  const client = req.socket.remoteAddress ?? '';
  const prior = req.headers['x-forwarded-for'];
  out['x-forwarded-for'] = prior ? `${prior}, ${client}` : client;
  out['x-real-ip'] = client;
  out['x-forwarded-host'] = req.headers.host ?? '';
  out['x-forwarded-port'] = String(listenPort);
  out['x-forwarded-proto'] = scheme;
  out['x-scheme'] = scheme;
  out['x-request-id'] ??= randomBytes(16).toString('hex');
  return out;
}

/** Round-robin position per backend (Service port), kept across table rebuilds. */
class RoundRobin {
  readonly #next = new Map<string, number>();
  pick(key: string, upstreams: readonly Upstream[]): Upstream {
    const i = (this.#next.get(key) ?? 0) % upstreams.length;
    this.#next.set(key, i + 1);
    return upstreams[i]!;
  }
}

const backendKey = (r: Route): string =>
  `${r.namespace}/${r.backend.service?.name}:${r.backend.service?.port?.name ?? r.backend.service?.port?.number}`;

export class IngressProxy {
  readonly #rr = new RoundRobin();
  readonly #agent = new Agent({
    keepAlive: true,
    maxSockets: 256,
    maxFreeSockets: 32,
    timeout: READ_TIMEOUT_MS,
  });

  constructor(private readonly deps: ProxyDeps) {}

  /**
   * Picks the upstream and the request target it gets (origin-form, rewritten by rewrite-target),
   * or answers the error itself and returns undefined.
   */
  #target(req: IncomingMessage, fail: (code: number) => void): { up: Upstream; url: string } | undefined {
    const path = requestPath(req.url);
    if (path === undefined) {
      fail(400);
      return undefined;
    }
    const route = this.deps.route(req.headers.host, path);
    if (!route) {
      fail(404);
      return undefined;
    }
    const r = this.deps.resolve(route);
    if ('problem' in r) {
      this.deps.log('ingress: no upstream', {
        ingress: route.ingress,
        host: req.headers.host,
        path,
        problem: r.problem,
      });
      fail(503);
      return undefined;
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const query = q < 0 ? '' : url.slice(q).split('#')[0]!;
    return { up: this.#rr.pick(backendKey(route), r.upstreams), url: upstreamTarget(route, path, query) };
  }

  handleRequest(
    req: IncomingMessage,
    res: ServerResponse,
    scheme: 'http' | 'https',
    listenPort: number,
  ): void {
    const fail = (code: number) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const body = errorPage(code);
      res.writeHead(code, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const target = this.#target(req, fail);
    if (!target) {
      req.resume(); // drain what the client sends; the answer is already written
      return;
    }
    const { up } = target;
    const out = request({
      host: up.ip,
      port: up.port,
      method: req.method,
      path: target.url,
      headers: forwardedHeaders(req, scheme, listenPort),
      agent: this.#agent,
    });
    let connected = false;
    const connectTimer = setTimeout(() => {
      if (!connected) out.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' }));
    }, CONNECT_TIMEOUT_MS);
    out.on('socket', (s: Socket) => {
      if (!s.connecting) {
        connected = true; // a reused keep-alive socket
        clearTimeout(connectTimer);
      } else
        s.once('connect', () => {
          connected = true;
          clearTimeout(connectTimer);
        });
    });
    out.setTimeout(READ_TIMEOUT_MS, () =>
      out.destroy(Object.assign(new Error('read timeout'), { code: 'ETIMEDOUT' })),
    );
    out.on('response', (upRes) => {
      // The upstream's headers as it spelled them (raw, in order, repeats kept), hop-by-hop ones dropped.
      const connectionTokens = new Set(
        String(upRes.headers.connection ?? '')
          .toLowerCase()
          .split(',')
          .map((t) => t.trim()),
      );
      const headers: string[] = [];
      for (let i = 0; i + 1 < upRes.rawHeaders.length; i += 2) {
        const name = upRes.rawHeaders[i]!;
        const lower = name.toLowerCase();
        if (HOP_BY_HOP.has(lower) || connectionTokens.has(lower)) continue;
        headers.push(name, upRes.rawHeaders[i + 1]!);
      }
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, headers);
      upRes.pipe(res);
      upRes.on('error', () => res.destroy());
    });
    out.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(connectTimer);
      this.deps.log('ingress: upstream failed', { upstream: `${up.ip}:${up.port}`, error: err.message });
      fail(err.code === 'ETIMEDOUT' ? 504 : 502);
    });
    // The client went away: so does the upstream request.
    res.on('close', () => {
      clearTimeout(connectTimer);
      if (!res.writableFinished) out.destroy();
    });
    req.pipe(out);
  }

  handleUpgrade(
    req: IncomingMessage,
    client: Socket,
    head: Buffer,
    scheme: 'http' | 'https',
    listenPort: number,
  ): void {
    client.on('error', () => client.destroy());
    const fail = (code: number) => {
      const body = errorPage(code);
      client.end(
        `HTTP/1.1 ${code} ${STATUS_TEXT[code]}\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    const target = this.#target(req, fail);
    if (!target) return;
    const { up } = target;
    const upstream = connect({ host: up.ip, port: up.port });
    let tunnel = false;
    const connectTimer = setTimeout(() => {
      upstream.destroy();
      fail(504);
    }, CONNECT_TIMEOUT_MS);
    upstream.once('connect', () => {
      clearTimeout(connectTimer);
      tunnel = true;
      const headers = forwardedHeaders(req, scheme, listenPort);
      // The upgrade itself is what this connection is for: keep its two headers.
      headers.connection = 'Upgrade';
      headers.upgrade = String(req.headers.upgrade ?? '');
      let text = `${req.method} ${target.url} HTTP/1.1\r\n`;
      for (const [k, v] of Object.entries(headers)) {
        for (const one of Array.isArray(v) ? v : [v]) text += `${k}: ${one}\r\n`;
      }
      upstream.write(`${text}\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.setTimeout(TUNNEL_IDLE_TIMEOUT_MS, () => upstream.destroy());
      client.setTimeout(TUNNEL_IDLE_TIMEOUT_MS, () => client.destroy());
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', (err) => {
      clearTimeout(connectTimer);
      this.deps.log('ingress: upstream failed', { upstream: `${up.ip}:${up.port}`, error: err.message });
      if (!tunnel) fail(502);
      else client.destroy();
    });
    upstream.on('close', () => {
      if (tunnel) client.destroy();
    });
    client.on('close', () => upstream.destroy());
  }

  close(): void {
    this.#agent.destroy();
  }
}
