// A route table: method + path pattern (`:name` segments) -> handler. Data, not branches, so the list of
// endpoints in the README and in GET / can be checked against it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badParam, methodNotAllowed, notFound } from '../errors.js';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  description: string;
  handler: (ctx: RouteContext) => Promise<void> | void;
}

/** Finds the route for a request; throws WEBAPP_NOT_FOUND / WEBAPP_METHOD_NOT_ALLOWED otherwise. */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  pathname: string,
): { route: Route; params: Record<string, string> } {
  let pathMatched = false;
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (!params) continue;
    pathMatched = true;
    // HEAD is answered like GET; node drops the body.
    if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { route, params };
  }
  if (pathMatched) throw methodNotAllowed(method, pathname);
  throw notFound(`no route for ${pathname}`);
}

function matchPath(pattern: string, pathname: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = pathname.replace(/\/+$/, '').split('/');
  if (pathname === '/') got.splice(1, 1, '');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith(':')) {
      if (g === '') return undefined;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        throw badParam(w.slice(1), `not valid percent-encoding: "${g}"`);
      }
    } else if (w !== g) return undefined;
  }
  return params;
}
