/**
 * Parses a request path into what it addresses, as apiserver's RequestInfoFactory does:
 *
 *   /api/v1/namespaces/{ns}/{resource}/{name}/{subresource}
 *   /apis/{group}/{version}/namespaces/{ns}/{resource}/{name}/{subresource}
 *   /api/v1/{clusterResource}/{name}/{subresource}     (also all-namespace lists: /api/v1/pods)
 *   /api/v1/namespaces/{name}[/status|/finalize]        (the Namespace object itself)
 *
 * Names are single path segments: a segment that decodes to '.', '..' or contains '/' or '%'
 * is refused here (upstream's path-segment name rule), so no name can walk a path.
 */
import { badRequest } from '../errors.js';

export interface ResourceRequest {
  group: string;
  version: string;
  /** '' for cluster-scoped resources and all-namespace lists. */
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
}

export type RequestTarget =
  | { type: 'resource'; req: ResourceRequest }
  | { type: 'discovery-root'; prefix: 'api' | 'apis' }
  | { type: 'discovery-group'; group: string }
  | { type: 'discovery-version'; group: string; version: string }
  | { type: 'other' };

/**
 * The request's URL, for its query string: the raw request-target under a fixed origin. Never
 * `new URL(target, base)`: a target such as `//` or `//host/x` would be read as a host (and `//`
 * throws), and an absolute-form or `*` target is still only a path here.
 */
export function requestURL(target: string | undefined): URL {
  const t = target ?? '/';
  return new URL(`https://localhost${t.startsWith('/') ? '' : '/'}${t}`);
}

function decodeSegment(seg: string): string {
  let s: string;
  try {
    s = decodeURIComponent(seg);
  } catch {
    throw badRequest(`invalid path segment ${JSON.stringify(seg)}: malformed percent-encoding`);
  }
  if (s === '.' || s === '..' || s.includes('/') || s.includes('%') || s.includes('\0')) {
    throw badRequest(
      `invalid path segment ${JSON.stringify(s)}: may not be '.' or '..' nor contain '/' or '%'`,
    );
  }
  return s;
}

export function parseRequestPath(pathname: string): RequestTarget {
  const parts = pathname.split('/').filter((p) => p !== '');
  if (parts[0] !== 'api' && parts[0] !== 'apis') return { type: 'other' };
  const segs = parts.map(decodeSegment);
  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (segs[0] === 'api') {
    if (segs.length === 1) return { type: 'discovery-root', prefix: 'api' };
    group = '';
    version = segs[1]!;
    rest = segs.slice(2);
  } else {
    if (segs.length === 1) return { type: 'discovery-root', prefix: 'apis' };
    group = segs[1]!;
    if (segs.length === 2) return { type: 'discovery-group', group };
    version = segs[2]!;
    rest = segs.slice(3);
  }
  if (rest.length === 0) return { type: 'discovery-version', group, version };
  const req: ResourceRequest = { group, version, namespace: '', resource: '', name: '', subresource: '' };
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    // /namespaces/{ns}/{resource}/... ; but /namespaces/{name}/{status|finalize} is the Namespace itself.
    if (group === '' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize')) {
      return {
        type: 'resource',
        req: { ...req, resource: 'namespaces', name: rest[1]!, subresource: rest[2]! },
      };
    }
    req.namespace = rest[1]!;
    rest = rest.slice(2);
  }
  req.resource = rest[0]!;
  req.name = rest[1] ?? '';
  req.subresource = rest[2] ?? '';
  if (rest.length > 3)
    throw badRequest(`invalid request path ${JSON.stringify(pathname)}: too many segments`);
  return { type: 'resource', req };
}
