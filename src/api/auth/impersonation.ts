/**
 * Impersonation headers (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go): `kubectl --as`,
 * `--as-group`, `--as-uid` and `--as-user-extra` make the request act as another user. Upstream asks the
 * authorizer for the `impersonate` verb on each requested user, group, extra value and uid (under RBAC
 * the admin, in system:masters, may; others need a rule), then builds the impersonated user exactly as
 * upstream does:
 *  - a ServiceAccount user name (`system:serviceaccount:<ns>:<name>`) brings its two groups unless groups
 *    are given;
 *  - system:authenticated is added unless system:authenticated or system:unauthenticated was asked for
 *    (system:unauthenticated instead for system:anonymous);
 *  - groups, extra values or a uid without a user are refused (500, as upstream's InternalError).
 * The request then runs as the impersonated user alone; the headers are not passed on.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { internalError } from '../errors.js';
import { type Authorizer, mustAuthorize } from './authorizer.js';
import {
  ALL_AUTHENTICATED,
  ALL_UNAUTHENTICATED,
  ANONYMOUS,
  serviceAccountGroups,
  serviceAccountUsername,
  splitServiceAccountUsername,
  type UserInfo,
} from './user.js';

const USER_HEADER = 'impersonate-user';
const GROUP_HEADER = 'impersonate-group';
const UID_HEADER = 'impersonate-uid';
const EXTRA_PREFIX = 'impersonate-extra-';

/** One impersonation request, as upstream's v1.ObjectReference (kept for its error text). */
interface ImpersonationRequest {
  kind: 'ServiceAccount' | 'User' | 'Group' | 'UserExtra' | 'UID';
  namespace?: string;
  name: string;
  apiVersion?: string;
  fieldPath?: string;
}

/** What the authorizer is asked to let the requester impersonate, per request kind. */
const RESOURCE_OF: Record<ImpersonationRequest['kind'], string> = {
  ServiceAccount: 'serviceaccounts',
  User: 'users',
  Group: 'groups',
  UserExtra: 'userextras',
  UID: 'uids',
};

/** Go's %v of a v1.ObjectReference: its seven fields in order, space-separated, in braces. */
const goFormat = (r: ImpersonationRequest): string =>
  `{${[r.kind, r.namespace ?? '', r.name, '', r.apiVersion ?? '', '', r.fieldPath ?? ''].join(' ')}}`;

/** All values of a header, as Go's http.Header keeps repeated headers (Node joins some with ", "). */
function headerValues(headers: IncomingHttpHeaders, rawHeaders: readonly string[], name: string): string[] {
  if (headers[name] === undefined) return [];
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === name) out.push(rawHeaders[i + 1]!);
  }
  return out;
}

/** unescapeExtraKey: extra keys are percent-encoded in header names; a bad escape keeps the raw key. */
function unescapeExtraKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/** buildImpersonationRequests: the requests in upstream's order (user, groups, extras, uid). */
function buildRequests(headers: IncomingHttpHeaders, rawHeaders: readonly string[]): ImpersonationRequest[] {
  const requests: ImpersonationRequest[] = [];
  const user = headerValues(headers, rawHeaders, USER_HEADER)[0] ?? '';
  if (user) {
    const sa = splitServiceAccountUsername(user);
    requests.push(
      sa ? { kind: 'ServiceAccount', namespace: sa[0], name: sa[1] } : { kind: 'User', name: user },
    );
  }
  const groups = headerValues(headers, rawHeaders, GROUP_HEADER);
  for (const g of groups) requests.push({ kind: 'Group', name: g });
  let hasExtra = false;
  const extraNames = [
    ...new Set(
      Object.keys(headers).filter((h) => h.startsWith(EXTRA_PREFIX) && h.length > EXTRA_PREFIX.length),
    ),
  ];
  for (const header of extraNames) {
    hasExtra = true;
    const key = unescapeExtraKey(header.slice(EXTRA_PREFIX.length));
    for (const value of headerValues(headers, rawHeaders, header)) {
      requests.push({
        kind: 'UserExtra',
        name: value,
        fieldPath: key,
        apiVersion: 'authentication.k8s.io/v1',
      });
    }
  }
  const uid = headerValues(headers, rawHeaders, UID_HEADER)[0] ?? '';
  if (uid) requests.push({ kind: 'UID', name: uid, apiVersion: 'authentication.k8s.io/v1' });
  if ((groups.length > 0 || hasExtra || uid) && !user) {
    throw internalError(`requested [${requests.map(goFormat).join(' ')}] without impersonating a user`);
  }
  return requests;
}

/**
 * The user a request acts as: `user` itself when no Impersonate-* header is present, else the impersonated
 * user (throws an ApiError for a malformed set of headers or one the authorizer denies).
 */
export function impersonatedUser(
  user: UserInfo,
  headers: IncomingHttpHeaders,
  rawHeaders: readonly string[],
  authorizer: Authorizer,
): UserInfo {
  const requests = buildRequests(headers, rawHeaders);
  if (requests.length === 0) return user;
  const groupsSpecified = requests.some((r) => r.kind === 'Group');
  let username = '';
  let uid = '';
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  for (const r of requests) {
    mustAuthorize(authorizer, {
      user,
      verb: 'impersonate',
      resourceRequest: true,
      apiGroup: r.apiVersion ? r.apiVersion.split('/')[0] : '',
      apiVersion: r.apiVersion ? r.apiVersion.split('/')[1] : '',
      resource: RESOURCE_OF[r.kind],
      ...(r.kind === 'UserExtra' && { subresource: r.fieldPath }),
      ...(r.namespace && { namespace: r.namespace }),
      name: r.name,
    });
    switch (r.kind) {
      case 'ServiceAccount':
        username = serviceAccountUsername(r.namespace!, r.name);
        if (!groupsSpecified) groups = serviceAccountGroups(r.namespace!);
        break;
      case 'User':
        username = r.name;
        break;
      case 'Group':
        groups.push(r.name);
        break;
      case 'UserExtra':
        extra[r.fieldPath!] = [...(extra[r.fieldPath!] ?? []), r.name];
        break;
      case 'UID':
        uid = r.name;
        break;
    }
  }
  if (username !== ANONYMOUS) {
    if (!groups.some((g) => g === ALL_AUTHENTICATED || g === ALL_UNAUTHENTICATED))
      groups.push(ALL_AUTHENTICATED);
  } else if (!groups.includes(ALL_UNAUTHENTICATED)) {
    groups.push(ALL_UNAUTHENTICATED);
  }
  return { username, groups, ...(uid && { uid }), ...(Object.keys(extra).length > 0 && { extra }) };
}
