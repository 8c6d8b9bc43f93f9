/**
 * The routing table of podbay's ingress controller: the Ingresses it serves, flattened into one
 * host → paths index, and the pure match of a request's Host and path against it. No I/O: the
 * controller rebuilds the table when Ingresses change and asks it one question per request.
 *
 * Rules, as the Ingress API documents them (networking/v1 types.go) and ingress-nginx applies:
 *  - hosts: an exact host first, then a `*.suffix` wildcard (exactly one label in place of `*`:
 *    `*.foo.com` matches `bar.foo.com`, not `foo.com` nor `baz.bar.foo.com`), then the rules
 *    without a host. Host comparison ignores case and the port. The first host group that
 *    exists is the request's (as nginx picks one server block); its paths decide.
 *  - paths within the group: the longest matching path wins; equally long, Exact before Prefix.
 *    Exact is string equality. Prefix matches by `/`-separated elements, a trailing slash
 *    ignored (`/foo` matches `/foo`, `/foo/` and `/foo/bar`, not `/foobar`; `/` matches all).
 *    ImplementationSpecific is matched as Prefix (an empty path as `/`).
 *  - the same host, path and type in two Ingresses: the older Ingress wins (creationTimestamp,
 *    then namespace/name), as ingress-nginx merges them.
 *  - nothing matches: the defaultBackend of the oldest Ingress that has rules for the request's
 *    host, else of the oldest Ingress with one; else no route (the proxy answers 404).
 *
 * Two ingress-nginx annotations, because Kubernetes' own Ingress examples and CKAD tasks use them:
 * with `nginx.ingress.kubernetes.io/use-regex: "true"` or `.../rewrite-target`, the Ingress's
 * paths are case-insensitive regular expressions anchored at the start (nginx `location ~* ^path`),
 * whatever their pathType, ranked by length with the others; `rewrite-target` then replaces the
 * first match of the path in the request path (`$1`… are the path's groups), as nginx's
 * `rewrite (?i)path target break` does, the query kept. ingress-nginx applies regex mode to every
 * path of the host; here it applies to the annotated Ingress's own paths.
 */
import type { Ingress, IngressBackend } from 'kubernetes-types/networking/v1';

export type PathType = 'Exact' | 'Prefix' | 'Regex';

export const USE_REGEX_ANNOTATION = 'nginx.ingress.kubernetes.io/use-regex';
export const REWRITE_TARGET_ANNOTATION = 'nginx.ingress.kubernetes.io/rewrite-target';

export interface Route {
  /** Namespace of the Ingress: its backend Service lives there. */
  namespace: string;
  /** `<namespace>/<name>` of the Ingress, for logs and tests. */
  ingress: string;
  backend: IngressBackend;
  /** With rewrite-target: the path the upstream gets is `rewrite(requestPath)`. */
  rewrite?: { pattern: RegExp; target: string };
}

interface PathEntry extends Route {
  /** Regex paths: the compiled `^path`, case-insensitive. */
  regex?: RegExp;
  path: string;
  type: PathType;
  /** Path elements of a Prefix path (`/a/b/` → ['a', 'b']). */
  elements: string[];
}

interface HostGroup {
  paths: PathEntry[];
  /** defaultBackend of the oldest Ingress with rules for this host. */
  fallback: Route | undefined;
}

export interface RoutingTable {
  exact: Map<string, HostGroup>;
  /** Keyed by the suffix after `*.` (`foo.com` for `*.foo.com`). */
  wildcard: Map<string, HostGroup>;
  /** Rules without a host. */
  any: HostGroup | undefined;
  /** The first defaultBackend by Ingress age. */
  defaultBackend: Route | undefined;
}

const elementsOf = (path: string): string[] => path.split('/').filter((e) => e !== '');

/** Oldest first; ties by namespace/name, so the order never depends on list order. */
function byAge(a: Ingress, b: Ingress): number {
  const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  const ka = `${a.metadata?.namespace}/${a.metadata?.name}`;
  const kb = `${b.metadata?.namespace}/${b.metadata?.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

const TYPE_RANK: Record<PathType, number> = { Exact: 0, Prefix: 1, Regex: 2 };

/** Longest path first; equally long, Exact first. Stable for the rest (Ingress age). */
function byPrecedence(a: PathEntry, b: PathEntry): number {
  if (a.path.length !== b.path.length) return b.path.length - a.path.length;
  return TYPE_RANK[a.type] - TYPE_RANK[b.type];
}

export function buildRoutingTable(ingresses: readonly Ingress[]): RoutingTable {
  const table: RoutingTable = {
    exact: new Map(),
    wildcard: new Map(),
    any: undefined,
    defaultBackend: undefined,
  };
  const groupFor = (host: string): HostGroup => {
    const fresh = (): HostGroup => ({ paths: [], fallback: undefined });
    if (host === '') {
      table.any ??= fresh();
      return table.any;
    }
    const [map, key] = host.startsWith('*.') ? [table.wildcard, host.slice(2)] : [table.exact, host];
    let g = map.get(key);
    if (!g) {
      g = fresh();
      map.set(key, g);
    }
    return g;
  };
  for (const ing of [...ingresses].sort(byAge)) {
    const namespace = ing.metadata?.namespace ?? '';
    const id = `${namespace}/${ing.metadata?.name ?? ''}`;
    const def = ing.spec?.defaultBackend;
    const defRoute: Route | undefined = def ? { namespace, ingress: id, backend: def } : undefined;
    table.defaultBackend ??= defRoute;
    for (const rule of ing.spec?.rules ?? []) {
      const group = groupFor((rule.host ?? '').toLowerCase());
      group.fallback ??= defRoute;
      const annotations = ing.metadata?.annotations ?? {};
      const target = annotations[REWRITE_TARGET_ANNOTATION];
      const regexMode = target !== undefined || annotations[USE_REGEX_ANNOTATION] === 'true';
      for (const p of rule.http?.paths ?? []) {
        const type: PathType = regexMode ? 'Regex' : p.pathType === 'Exact' ? 'Exact' : 'Prefix';
        const path = p.path || '/';
        // An older Ingress already routes this host, path and type: it keeps it.
        if (group.paths.some((e) => e.path === path && e.type === type)) continue;
        const entry: PathEntry = {
          namespace,
          ingress: id,
          backend: p.backend,
          path,
          type,
          elements: elementsOf(path),
        };
        if (regexMode) {
          try {
            entry.regex = new RegExp(`^${path}`, 'i');
            if (target !== undefined) entry.rewrite = { pattern: new RegExp(path, 'i'), target };
          } catch {
            continue; // nginx would refuse the configuration; the path routes nothing
          }
        }
        group.paths.push(entry);
      }
    }
  }
  const sortGroup = (g: HostGroup) => g.paths.sort(byPrecedence);
  for (const g of table.exact.values()) sortGroup(g);
  for (const g of table.wildcard.values()) sortGroup(g);
  if (table.any) sortGroup(table.any);
  return table;
}

function pathMatches(e: PathEntry, path: string, requestElements: string[]): boolean {
  if (e.regex) return e.regex.test(path);
  if (e.type === 'Exact') return e.path === path;
  if (e.elements.length > requestElements.length) return false;
  return e.elements.every((el, i) => requestElements[i] === el);
}

/** The path and query the upstream gets: the request's, or rewritten by rewrite-target. */
export function upstreamTarget(route: Route, path: string, query: string): string {
  if (!route.rewrite) return `${path}${query}`;
  const rewritten = path.replace(route.rewrite.pattern, route.rewrite.target);
  return `${rewritten.startsWith('/') ? rewritten : `/${rewritten}`}${query}`;
}

/** `Host` header → the host name routes are keyed by: lower case, without port or trailing dot. */
export function normalizeHost(header: string | undefined): string {
  let h = (header ?? '').trim().toLowerCase();
  if (h.startsWith('[')) h = h.slice(0, h.indexOf(']') + 1);
  else if (h.includes(':')) h = h.slice(0, h.indexOf(':'));
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/** The host group a request belongs to: exact, then wildcard (one label), then host-less rules. */
function groupOf(table: RoutingTable, host: string): HostGroup | undefined {
  const exact = table.exact.get(host);
  if (exact) return exact;
  const dot = host.indexOf('.');
  if (dot > 0) {
    const wild = table.wildcard.get(host.slice(dot + 1));
    if (wild) return wild;
  }
  return table.any;
}

/** The route for a request, or undefined (404). `path` is the URL path, without the query. */
export function matchRoute(
  table: RoutingTable,
  hostHeader: string | undefined,
  path: string,
): Route | undefined {
  const group = groupOf(table, normalizeHost(hostHeader));
  if (group) {
    const requestElements = elementsOf(path);
    const hit = group.paths.find((e) => pathMatches(e, path, requestElements));
    if (hit)
      return {
        namespace: hit.namespace,
        ingress: hit.ingress,
        backend: hit.backend,
        ...(hit.rewrite && { rewrite: hit.rewrite }),
      };
    if (group.fallback) return group.fallback;
  }
  return table.defaultBackend;
}
