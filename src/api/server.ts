/**
 * The HTTPS front of the API: authentication, routing (version, health, discovery, OpenAPI,
 * resources) and the one place errors become `Status` bodies. Nothing a client sends may crash
 * the process: every handler runs inside one try/catch, and parser-level garbage is answered
 * with a 400 before the socket is closed (headers past Go's 1 MiB limit with Go's own 431).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { type Authorizer, alwaysAllow, mustAuthorize } from './auth/authorizer.js';
import { impersonatedUser } from './auth/impersonation.js';
import { requestAttributes } from './auth/request-attributes.js';
import { handleReview, REVIEW_RESOURCES, reviewResource } from './auth/reviews.js';
import { ADMIN_USER, type UserInfo } from './auth/user.js';
import {
  AGGREGATED_DISCOVERY_CONTENT_TYPE,
  aggregatedDiscovery,
  legacyApiVersions,
  legacyGroup,
  legacyGroupList,
  legacyResourceList,
  wantsAggregated,
} from './discovery.js';
import { ApiError, unauthorized } from './errors.js';
import { parseRequestPath, requestURL } from './http/request-info.js';
import {
  handleResource,
  type ResourceHandlerDeps,
  type SubresourceHandler,
} from './http/resource-handler.js';
import { sendError, sendJSON, sendRaw } from './http/respond.js';
import { buildOpenAPI, type OpenAPIDocs } from './openapi.js';
import type { Registry } from './registry/registry.js';
import type { ResourceInfo } from './types.js';
import { VERSION_INFO } from './version.js';

export interface ApiServerOptions {
  registry: Registry;
  host: string;
  port: number;
  tls: { key: string; cert: string };
  /** The admin bearer token; requests without it are 401 (health and version are public, as upstream). */
  token: string;
  /** Other bearer tokens the server accepts (ServiceAccount JWTs): the user a valid one proves. */
  authenticateToken?: (token: string) => UserInfo | undefined;
  /** Decides what users may do: every request, impersonation and the reviews (default AlwaysAllow). */
  authorizer?: Authorizer;
  clock: { now(): Date };
  log: (msg: string) => void;
  subresources?: Map<string, SubresourceHandler>;
  /** Extra API groups served outside the registry (metrics.k8s.io), for discovery and routing. */
  extraResources?: readonly ResourceInfo[];
  extraRoutes?: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;
  /** Health checks behind /readyz; each returns true when ready. */
  readiness?: () => boolean;
  /**
   * Time a client has to send a whole request, headers and body (default 60 s, kube-apiserver's
   * --request-timeout): a client that never finishes its body no longer holds a connection forever.
   */
  requestTimeoutMs?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/**
 * How many bytes of request line and headers a request may carry: kube-apiserver's http.Server sets
 * MaxHeaderBytes 1 MiB (apiserver pkg/server/secure_serving.go) and Go reads 4096 bytes past it
 * (initialReadLimitSize) before answering 431. Node's default is 16 KiB.
 */
export const MAX_HEADER_BYTES = (1 << 20) + 4096;

/**
 * Go's answer to headers past the limit (net/http conn.serve, errTooLarge), byte for byte: plain
 * text, the connection closed. Sent whatever the method, HEAD included: the request was never
 * parsed, so Go does not know it.
 */
const HEADERS_TOO_LARGE =
  'HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n431 Request Header Fields Too Large';

const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);

export class ApiServer {
  readonly #o: ApiServerOptions;
  readonly #server: https.Server;
  readonly #token: Buffer;
  readonly #deps: ResourceHandlerDeps;
  readonly #authorizer: Authorizer;
  #openapi: OpenAPIDocs | undefined;
  #openapiKey = '';

  constructor(o: ApiServerOptions) {
    this.#o = o;
    this.#token = Buffer.from(o.token);
    this.#authorizer = o.authorizer ?? alwaysAllow;
    this.#deps = {
      registry: o.registry,
      clock: o.clock,
      subresources: o.subresources ?? new Map(),
      log: o.log,
    };
    // Node's requestTimeout counts only until the request is received, so watches, log follows and
    // upgraded streams (exec, port-forward) stay open as long as they need; the check runs at a quarter
    // of the timeout so a stalled request is cut within 1.25x of it.
    const requestTimeout = o.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#server = https.createServer(
      {
        key: o.tls.key,
        cert: o.tls.cert,
        minVersion: 'TLSv1.2',
        maxHeaderSize: MAX_HEADER_BYTES,
        requestTimeout,
        headersTimeout: requestTimeout,
        connectionsCheckingInterval: Math.max(100, Math.min(30_000, requestTimeout / 4)),
      },
      (req, res) => {
        void this.#handle(req, res);
      },
    );
    // Idle keep-alive sockets time out.
    this.#server.keepAliveTimeout = 65_000;
    // Go counts header bytes only, never headers: Node's default of 2000 would drop the rest unseen.
    this.#server.maxHeadersCount = 0;
    this.#server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      if (socket.writable && err.code === 'HPE_HEADER_OVERFLOW') {
        socket.end(HEADERS_TOO_LARGE);
      } else if (socket.writable) {
        const timedOut = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
        const status = timedOut
          ? new ApiError(
              408,
              'Timeout',
              `the request was not received within ${requestTimeout / 1000}s (the request timeout)`,
            )
          : new ApiError(400, 'BadRequest', `malformed HTTP request: ${err.message}`);
        const body = JSON.stringify(status.toStatus());
        socket.end(
          `HTTP/1.1 ${timedOut ? '408 Request Timeout' : '400 Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      } else {
        socket.destroy();
      }
    });
    this.#server.on('tlsClientError', () => {
      /* a client that fails the handshake is simply dropped */
    });
  }

  get server(): https.Server {
    return this.#server;
  }

  resources(): ResourceInfo[] {
    return [
      ...this.#o.registry.strategies().map((s) => s.info),
      // Second versions of stored kinds (autoscaling/v1 HorizontalPodAutoscaler): after every stored
      // version, so each group's preferred version stays the stored one.
      ...this.#o.registry.strategies().flatMap((s) => (s.versions ?? []).map((v) => v.info)),
      ...REVIEW_RESOURCES,
      ...(this.#o.extraResources ?? []),
    ];
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#o.port, this.#o.host, () => {
        this.#server.off('error', reject);
        resolve(this.#server.address() as AddressInfo);
      });
    });
  }

  /** Stops accepting, ends open streams (watches, logs) and resolves when every socket is gone. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  /** The user a request's bearer token proves, or undefined (then it is 401 outside the public paths). */
  #authenticate(req: IncomingMessage): UserInfo | undefined {
    const h = req.headers.authorization;
    if (!h?.startsWith('Bearer ')) return undefined;
    const text = h.slice(7).trim();
    const given = Buffer.from(text);
    if (given.length === this.#token.length && timingSafeEqual(given, this.#token)) return ADMIN_USER;
    return this.#o.authenticateToken?.(text);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = requestURL(req.url);
      // Route on the raw path: the WHATWG parser would resolve `%2E%2E` and `..` segments away,
      // turning a request for a bad name into a request for something else.
      const raw = (req.url ?? '/').split('?')[0]!;
      const path = raw.length > 1 ? raw.replace(/\/+$/, '') : raw;
      const authenticated = this.#authenticate(req);
      if (!PUBLIC_PATHS.has(path) && !authenticated) throw unauthorized();
      // Impersonate-* headers make the request act as another user (kubectl --as).
      const user =
        authenticated && impersonatedUser(authenticated, req.headers, req.rawHeaders, this.#authorizer);
      // Every request but the public ones is authorized, upgrades (exec, attach, port-forward) included:
      // they reach this handler through the upgrade bridge.
      if (user && !PUBLIC_PATHS.has(path)) {
        mustAuthorize(this.#authorizer, requestAttributes(user, req.method ?? 'GET', path, url.searchParams));
      }
      switch (path) {
        case '/version':
          return sendJSON(res, 200, VERSION_INFO);
        case '/healthz':
        case '/livez':
          return sendRaw(res, 200, 'ok', 'text/plain; charset=utf-8');
        case '/readyz': {
          const ready = this.#o.readiness?.() ?? true;
          return sendRaw(
            res,
            ready ? 200 : 500,
            ready ? 'ok' : '[-]podbay-ready failed: not ready yet\nreadyz check failed',
            'text/plain; charset=utf-8',
          );
        }
        case '/openapi/v3':
          return sendRaw(res, 200, this.#openAPI().root);
        case '/openapi/v2':
          throw new ApiError(
            404,
            'NotFound',
            'the server could not find the requested resource (openapi/v2 is not served; kubectl uses openapi/v3)',
          );
      }
      if (path.startsWith('/openapi/v3/')) {
        const doc = this.#openAPI().byPath.get(path.slice('/openapi/v3/'.length));
        if (!doc) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
        res.setHeader(
          'Cache-Control',
          url.searchParams.get('hash') === doc.hash ? 'public, immutable' : 'no-cache, private',
        );
        res.setHeader('Etag', `"${doc.hash}"`);
        return sendRaw(res, 200, doc.body);
      }
      if (this.#o.extraRoutes && (await this.#o.extraRoutes(req, res, url))) return;
      const target = parseRequestPath(path);
      const resources = this.resources();
      switch (target.type) {
        case 'discovery-root':
          if (wantsAggregated(req.headers.accept)) {
            return sendJSON(
              res,
              200,
              aggregatedDiscovery(resources, target.prefix),
              AGGREGATED_DISCOVERY_CONTENT_TYPE,
            );
          }
          if (target.prefix === 'api')
            return sendJSON(res, 200, legacyApiVersions(`${this.#o.host}:${this.#o.port}`));
          return sendJSON(res, 200, legacyGroupList(resources));
        case 'discovery-group': {
          const g = legacyGroup(resources, target.group);
          if (!g) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
          return sendJSON(res, 200, g);
        }
        case 'discovery-version': {
          const l = legacyResourceList(resources, target.group, target.version);
          if (!l) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
          return sendJSON(res, 200, l);
        }
        case 'resource': {
          const review = reviewResource(target.req);
          if (review) {
            const deps = { authorizer: this.#authorizer, now: () => this.#o.clock.now() };
            return await handleReview(deps, review, target.req, req, res, url, user as UserInfo);
          }
          return await handleResource(this.#deps, req, res, target.req, url, user || undefined);
        }
        default:
          throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      }
    } catch (e) {
      if (e instanceof ApiError && e.code === 401) res.setHeader('WWW-Authenticate', 'Bearer');
      // Drain an unread body so the connection stays usable for the client's next request.
      if (!req.complete) req.resume();
      sendError(res, e, this.#o.log);
    }
  }

  #openAPI(): OpenAPIDocs {
    // Rebuilt when the served resources change (a CRD established, updated or deleted).
    const resources = this.resources();
    const key = JSON.stringify(
      resources.map((r) => [r.group, r.version, r.kind, r.namespaced, r.customSchema?.openAPIV3Schema]),
    );
    if (!this.#openapi || this.#openapiKey !== key) {
      this.#openapi = buildOpenAPI(resources, VERSION_INFO.gitVersion);
      this.#openapiKey = key;
    }
    return this.#openapi;
  }
}
