/**
 * The authorizer seam (k8s.io/apiserver/pkg/authorization/authorizer): a decision for a user acting on a
 * resource or a non-resource path, and the rules a user has in a namespace. The engine's authorizer is
 * RBAC (./rbac/authorizer.ts, kube-apiserver's `--authorization-mode=RBAC`); AlwaysAllow here is the
 * ApiServer's default for tests that do not exercise authorization.
 */
import { forbidden } from '../errors.js';
import type { UserInfo } from './user.js';

/** authorizer.AttributesRecord, what SubjectAccessReview's spec describes. */
export interface Attributes {
  readonly user: UserInfo;
  readonly verb: string;
  readonly resourceRequest: boolean;
  readonly namespace?: string;
  readonly apiGroup?: string;
  readonly apiVersion?: string;
  readonly resource?: string;
  readonly subresource?: string;
  readonly name?: string;
  /** For non-resource requests. */
  readonly path?: string;
}

export type Decision = 'Allow' | 'Deny' | 'NoOpinion';

/** authorizer.ResourceRuleInfo / NonResourceRuleInfo, as SelfSubjectRulesReview reports them. */
export interface ResourceRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
}
export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs: string[];
}
export interface RuleSet {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  /** Why the rules may be incomplete (SubjectRulesReviewStatus.evaluationError). */
  evaluationError?: string;
}

export interface Authorizer {
  authorize(a: Attributes): { decision: Decision; reason: string };
  rulesFor(user: UserInfo, namespace: string): RuleSet;
}

/** authorizerfactory.NewAlwaysAllowAuthorizer: allow, no reason; every verb on everything. */
export const alwaysAllow: Authorizer = {
  authorize: () => ({ decision: 'Allow', reason: '' }),
  rulesFor: () => ({
    resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
    nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
    incomplete: false,
  }),
};

/** Where a resource request applies, as upstream's forbidden messages say it. */
function scope(a: Attributes): string {
  return a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
}

/**
 * The 403 for a denied request (responsewriters.forbiddenMessage + apierrors.NewForbidden): e.g.
 * `users "jane" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope`.
 */
export function forbiddenError(a: Attributes, reason: string): Error {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : (a.resource ?? '');
  const what = a.resourceRequest
    ? `User "${a.user.username}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup ?? ''}" ${scope(a)}`
    : `User "${a.user.username}" cannot ${a.verb} path "${a.path ?? ''}"`;
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : (a.resource ?? '');
  const message = a.resourceRequest
    ? `${qualified} ${a.name ? `"${a.name}" ` : ''}is forbidden: ${what}${reason ? `: ${reason}` : ''}`
    : `forbidden: ${what}${reason ? `: ${reason}` : ''}`;
  return forbidden(message, {
    ...(a.name && { name: a.name }),
    ...(a.apiGroup && { group: a.apiGroup }),
    ...(a.resource && { kind: a.resource }),
  });
}

/** Asks `authorizer` and throws the upstream 403 unless it allows. */
export function mustAuthorize(authorizer: Authorizer, a: Attributes): void {
  const { decision, reason } = authorizer.authorize(a);
  if (decision !== 'Allow') throw forbiddenError(a, reason);
}
