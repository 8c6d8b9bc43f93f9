/**
 * What a request asks to do, for the authorizer: k8s.io/apiserver's RequestInfoFactory.NewRequestInfo
 * (endpoints/request/requestinfo.go) turned into authorizer attributes.
 *
 *   /api/v1/namespaces/ns/pods/p/log       get     pods/log     ns  p     (resource request)
 *   /apis/apps/v1/deployments              list | watch (watch=true) | create | deletecollection
 *   /api/v1/watch/namespaces/ns/pods       watch   pods         ns        (the old watch prefix)
 *   /api, /apis/apps/v1, /openapi/v3       get     path                   (non-resource request)
 *
 * A list whose fieldSelector requires one metadata.name is a request about that name, as upstream, so a
 * Role limited by resourceNames can still watch its one object.
 */
import { parseFieldTerms } from '../selectors/field-selector.js';
import type { Attributes } from './authorizer.js';
import type { UserInfo } from './user.js';

const API_PREFIXES = new Set(['api', 'apis']);
const GROUPLESS_PREFIXES = new Set(['api']);
/** Verbs spelled as a path segment; `proxy` takes no subresource. */
const SPECIAL_VERBS = new Set(['proxy', 'watch']);
/** /namespaces/{name}/{status|finalize} is the Namespace itself, not a resource inside it. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

const METHOD_VERBS: Readonly<Record<string, string>> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/** Path segments, decoded as Go's URL.Path is (undecodable ones kept as sent: routing refuses them). */
function splitPath(path: string): string[] {
  return path
    .split('/')
    .filter((p) => p !== '')
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
}

/** `watch` as ListOptions decodes it: any value but false/0 (case-insensitive) is true. */
function isWatch(q: URLSearchParams): boolean {
  const v = q.get('watch');
  return v !== null && v.toLowerCase() !== 'false' && v !== '0';
}

/** The name a fieldSelector pins with `metadata.name=` (RequiresExactMatch), if it is one path segment. */
function selectedName(q: URLSearchParams): string {
  const input = q.get('fieldSelector');
  if (!input) return '';
  try {
    const terms = parseFieldTerms(input).filter((t) => t.field === 'metadata.name' && t.op === '=');
    const name = terms.length === 1 ? terms[0]!.value : '';
    return name && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('%') ? name : '';
  } catch {
    return ''; // a bad selector is refused later, by the list itself
  }
}

export function requestAttributes(
  user: UserInfo,
  method: string,
  path: string,
  q: URLSearchParams,
): Attributes {
  const nonResource: Attributes = { user, verb: method.toLowerCase(), resourceRequest: false, path };
  let parts = splitPath(path);
  if (parts.length < 3 || !API_PREFIXES.has(parts[0]!)) return nonResource;
  const prefix = parts[0]!;
  parts = parts.slice(1);
  let apiGroup = '';
  if (!GROUPLESS_PREFIXES.has(prefix)) {
    if (parts.length < 3) return nonResource;
    apiGroup = parts[0]!;
    parts = parts.slice(1);
  }
  const apiVersion = parts[0]!;
  parts = parts.slice(1);

  let verb = METHOD_VERBS[method] ?? '';
  if (SPECIAL_VERBS.has(parts[0]!) && parts.length >= 2) {
    verb = parts[0]!;
    parts = parts.slice(1);
  }
  let namespace = '';
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1]!;
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
  }
  const resource = parts[0] ?? '';
  let name = parts[1] ?? '';
  const subresource = parts.length >= 3 && verb !== 'proxy' ? parts[2]! : '';

  if (!name && verb === 'get') {
    verb = isWatch(q) ? 'watch' : 'list';
    name = selectedName(q);
  }
  if (!name && verb === 'delete') verb = 'deletecollection';
  return {
    user,
    verb,
    resourceRequest: true,
    namespace,
    apiGroup,
    apiVersion,
    resource,
    subresource,
    name,
    path,
  };
}
