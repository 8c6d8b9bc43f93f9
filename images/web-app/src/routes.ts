// The web app's endpoints. GET / lists this table, so the list a user sees is the one that runs.

import type { Backends } from './backends.js';
import { checkReadiness } from './checks.js';
import { getRowById, listRows, readAppConfig } from './data.js';
import { badParam } from './errors.js';
import { sendJson } from './http/respond.js';
import type { Route } from './http/router.js';

export const VERSION = '0.1.0';

export interface RouteDeps {
  backends: Backends;
  migrationsTable: string;
  checkTimeoutMs: number;
  /** True once SIGTERM arrived: readiness answers 503 so the endpoint is removed before the exit. */
  isShuttingDown(): boolean;
  startedAt: Date;
}

export function buildRoutes(deps: RouteDeps): Route[] {
  const data = { db: deps.backends.db, redis: deps.backends.redis };
  const routes: Route[] = [
    {
      method: 'GET',
      path: '/',
      description: 'this list',
      handler: ({ res }) =>
        sendJson(res, 200, {
          name: 'web-app',
          version: VERSION,
          endpoints: routes.map((r) => ({ method: r.method, path: r.path, description: r.description })),
        }),
    },
    {
      method: 'GET',
      path: '/health/live',
      description: 'liveness: the process serves HTTP (checks no dependency)',
      handler: ({ res }) =>
        sendJson(res, 200, {
          status: 'alive',
          uptimeSeconds: Math.round((Date.now() - deps.startedAt.getTime()) / 1000),
        }),
    },
    {
      method: 'GET',
      path: '/health/ready',
      description: 'readiness: PostgreSQL migrated and Redis warmed, each checked for real',
      handler: async ({ res }) => {
        if (deps.isShuttingDown()) {
          sendJson(res, 503, { status: 'shutting-down' });
          return;
        }
        const r = await checkReadiness({
          ...data,
          migrationsTable: deps.migrationsTable,
          timeoutMs: deps.checkTimeoutMs,
          redisLastError: deps.backends.redisLastError,
        });
        sendJson(res, r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not-ready', checks: r.checks });
      },
    },
    {
      method: 'GET',
      path: '/users',
      description: 'rows of the users table (?limit=1..500, default 100; ?offset=N)',
      handler: async ({ res, query }) => {
        const page = {
          limit: intParam(query, 'limit', 100, 1, 500),
          offset: intParam(query, 'offset', 0, 0),
        };
        const { items, total } = await listRows(data, 'users', page);
        sendJson(res, 200, { items, total, ...page });
      },
    },
    {
      method: 'GET',
      path: '/users/:id',
      description: 'one row of the users table by id',
      handler: async ({ res, params }) => {
        const id = intValue(params.id ?? '', 'id', 1, 2 ** 53 - 1);
        sendJson(res, 200, await getRowById(data, 'users', id));
      },
    },
    {
      method: 'GET',
      path: '/config',
      description: 'app:config and app:initialized as the cache warmer stored them',
      handler: async ({ res }) => sendJson(res, 200, await readAppConfig(data)),
    },
  ];
  return routes;
}

function intParam(
  q: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max = 2 ** 31 - 1,
): number {
  const raw = q.get(name);
  return raw === null ? fallback : intValue(raw, name, min, max);
}

function intValue(raw: string, name: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw badParam(name, `want an integer from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}
