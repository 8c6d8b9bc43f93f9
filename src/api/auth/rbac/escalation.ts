/**
 * RBAC escalation prevention, as pkg/registry/rbac/validation (policy_comparator.go Covers, rule.go
 * ConfirmNoEscalation, compact.go CompactRules) and the policybased storages of pkg/registry/rbac/*:
 *
 *   Role / ClusterRole write:  system:masters → ok; `escalate` on the role → ok; an update that only
 *                              touches GC fields → ok; else every rule must be held by the writer
 *                              (in the request's namespace), and an aggregationRule (new or old) needs
 *                              full authority (`*` on everything).
 *   (Cluster)RoleBinding write: system:masters → ok; GC-fields-only update → ok; `bind` on the role → ok;
 *                              else the writer must hold every rule of the referenced role.
 *
 * It runs through the registry's write hook (`admit`, before validation, as upstream checks in the storage
 * before BeforeCreate/BeforeUpdate) and only for requests that carry a user: in-process writers (the
 * bootstrap policy, the aggregation controller) are the apiserver itself, as upstream's loopback client in
 * system:masters is. Refusals are 403 `<resource> "<name>" is forbidden: user "X" (groups=[...]) is
 * attempting to grant RBAC permissions not currently held:` and the missing rules, one per line.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ClusterRole, PolicyRule, Role, RoleBinding } from 'kubernetes-types/rbac/v1';
import { type AdmissionAttributes, type AdmissionPlugin, aggregateMessages } from '../../admission/types.js';
import { forbidden } from '../../errors.js';
import { RBAC_GROUP } from '../../registry/rbac/validation.js';
import type { KubeObject } from '../../types.js';
import type { Authorizer } from '../authorizer.js';
import { SYSTEM_MASTERS, type UserInfo } from '../user.js';
import type { RuleResolver } from './resolver.js';
import { nonResourceURLCovers } from './rules.js';

const ALL = '*';

/** BreakdownRule: one rule per group × resource × verb (× name), and per URL × verb. */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? [])
    for (const resource of rule.resources ?? [])
      for (const verb of rule.verbs) {
        if (rule.resourceNames?.length) {
          for (const name of rule.resourceNames)
            out.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] });
        } else out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
      }
  for (const url of rule.nonResourceURLs ?? [])
    for (const verb of rule.verbs) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

const hasAll = (set: readonly string[] | undefined, want: readonly string[] | undefined): boolean =>
  (want ?? []).every((x) => (set ?? []).includes(x));

function resourceCoversAll(
  set: readonly string[] | undefined,
  covers: readonly string[] | undefined,
): boolean {
  if ((set ?? []).includes(ALL) || hasAll(set, covers)) return true;
  for (const path of covers ?? []) {
    if ((set ?? []).includes(path)) continue;
    const slash = path.indexOf('/');
    if (slash < 0) return false;
    if (!(set ?? []).includes(`*/${path.slice(slash + 1)}`)) return false;
  }
  return true;
}

const urlsCoverAll = (set: readonly string[] | undefined, covers: readonly string[] | undefined): boolean =>
  (covers ?? []).every((p) => (set ?? []).some((o) => nonResourceURLCovers(o, p)));

/** ruleCovers: whether `owner` covers a broken-down `sub` rule. */
export function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const verbs = owner.verbs.includes(ALL) || hasAll(owner.verbs, sub.verbs);
  const groups = (owner.apiGroups ?? []).includes(ALL) || hasAll(owner.apiGroups, sub.apiGroups);
  const names = sub.resourceNames?.length
    ? !owner.resourceNames?.length || hasAll(owner.resourceNames, sub.resourceNames)
    : !owner.resourceNames?.length;
  return (
    verbs &&
    groups &&
    resourceCoversAll(owner.resources, sub.resources) &&
    names &&
    urlsCoverAll(owner.nonResourceURLs, sub.nonResourceURLs)
  );
}

/** Covers: whether the owner's rules cover every servant rule, and the broken-down rules they do not. */
export function covers(
  owner: readonly PolicyRule[],
  servant: readonly PolicyRule[],
): [boolean, PolicyRule[]] {
  const missing = servant.flatMap(breakdownRule).filter((sub) => !owner.some((o) => ruleCovers(o, sub)));
  return [missing.length === 0, missing];
}

/** CompactRules: simple one-group, one-resource rules (at most one name) merged, their verbs joined. */
export function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule & { verbs: string[] }>();
  for (const r of rules) {
    const isSimple =
      (r.resourceNames?.length ?? 0) <= 1 &&
      !r.nonResourceURLs?.length &&
      r.apiGroups?.length === 1 &&
      r.resources?.length === 1;
    if (!isSimple) {
      out.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups, r.resources, r.resourceNames ?? null]);
    const existing = simple.get(key);
    if (existing) {
      for (const v of r.verbs) if (!existing.verbs.includes(v)) existing.verbs.push(v);
    } else {
      simple.set(key, { ...structuredClone(r), verbs: [...r.verbs] });
    }
  }
  return [...out, ...simple.values()];
}

/** Go's %q of a []string: `["a" "b"]`. */
const goQuoted = (xs: readonly string[]): string => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;

/** rbacv1helpers.CompactString: `{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}`. */
export function compactString(r: PolicyRule): string {
  const parts: string[] = [];
  if (r.apiGroups?.length) parts.push(`APIGroups:${goQuoted(r.apiGroups)}`);
  if (r.resources?.length) parts.push(`Resources:${goQuoted(r.resources)}`);
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${goQuoted(r.nonResourceURLs)}`);
  if (r.resourceNames?.length) parts.push(`ResourceNames:${goQuoted(r.resourceNames)}`);
  if (r.verbs.length) parts.push(`Verbs:${goQuoted(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}

/**
 * ConfirmNoEscalation: undefined when `user` holds every rule in `namespace`, else upstream's message
 * (missing rules compacted, sorted, one per line; resolution errors appended).
 */
export function confirmNoEscalation(
  resolver: RuleResolver,
  user: UserInfo,
  namespace: string,
  rules: readonly PolicyRule[],
): string | undefined {
  const owned = resolver.rulesFor(user, namespace);
  const [ok, missing] = covers(owned.rules, rules);
  if (ok) return undefined;
  const lines = [...new Set(compactRules(missing).map(compactString))].sort();
  let msg = `user ${JSON.stringify(user.username)} (groups=${goQuoted(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
  if (owned.errors.length) msg += `; resolution errors: [${aggregateMessages(owned.errors)}]`;
  return msg;
}

const FULL_AUTHORITY: readonly PolicyRule[] = [
  { verbs: [ALL], apiGroups: [ALL], resources: [ALL] },
  { verbs: [ALL], nonResourceURLs: [ALL] },
];

/** IsOnlyMutatingGCFields: the update changes nothing but owner references, finalizers, managed fields. */
function onlyGCFields(obj: KubeObject, old: KubeObject): boolean {
  const copy = structuredClone(obj);
  const gc = ['ownerReferences', 'finalizers', 'managedFields', 'selfLink', 'resourceVersion'] as const;
  for (const k of gc) {
    if (old.metadata[k] === undefined) delete copy.metadata[k];
    else (copy.metadata as Record<string, unknown>)[k] = old.metadata[k];
  }
  return isDeepStrictEqual(copy, old);
}

export interface EscalationDeps {
  readonly authorizer: Authorizer;
  readonly resolver: RuleResolver;
}

/** The write hook the registry runs for every create and update (see the module comment). */
export function rbacEscalationCheck(deps: EscalationDeps): AdmissionPlugin {
  return {
    name: 'RBACEscalation',
    admit(attrs) {
      if (attrs.resource.group !== RBAC_GROUP || attrs.subresource) return;
      const user = attrs.user;
      if (!user || user.groups.includes(SYSTEM_MASTERS)) return;
      if (attrs.oldObject && onlyGCFields(attrs.object, attrs.oldObject)) return;
      const deny = (message: string) => forbiddenFor(attrs, message);
      const ns = attrs.namespace;
      switch (attrs.resource.resource) {
        case 'roles':
        case 'clusterroles': {
          if (allowed(deps, user, 'escalate', attrs.resource.resource, ns, attrs.oldObject ? attrs.name : ''))
            return;
          const role = attrs.object as unknown as Role | ClusterRole;
          const msg = confirmNoEscalation(deps.resolver, user, ns, role.rules ?? []);
          if (msg) throw deny(msg);
          const aggregated = (o: KubeObject | undefined) => !!(o as ClusterRole | undefined)?.aggregationRule;
          if (
            (aggregated(attrs.object) || aggregated(attrs.oldObject)) &&
            confirmNoEscalation(deps.resolver, user, ns, FULL_AUTHORITY)
          ) {
            throw deny('must have cluster-admin privileges to use the aggregationRule');
          }
          return;
        }
        case 'rolebindings':
        case 'clusterrolebindings': {
          const ref = (attrs.object as unknown as RoleBinding).roleRef ?? {
            apiGroup: '',
            kind: '',
            name: '',
          };
          const resource = ref.kind === 'ClusterRole' ? 'clusterroles' : ref.kind === 'Role' ? 'roles' : '';
          if (resource && allowed(deps, user, 'bind', resource, ns, ref.name, ref.apiGroup)) return;
          const rules = deps.resolver.roleReferenceRules(ref, ns);
          if ('error' in rules) throw deny(rules.error);
          const msg = confirmNoEscalation(deps.resolver, user, ns, rules.rules);
          if (msg) throw deny(msg);
          return;
        }
      }
    },
  };
}

/** RoleEscalationAuthorized / BindingAuthorized: the authorizer's answer for `escalate` or `bind`. */
function allowed(
  deps: EscalationDeps,
  user: UserInfo,
  verb: string,
  resource: string,
  namespace: string,
  name: string,
  apiGroup = RBAC_GROUP,
): boolean {
  const a = { user, verb, resourceRequest: true, apiGroup, apiVersion: 'v1', resource, namespace, name };
  return deps.authorizer.authorize(a).decision === 'Allow';
}

/** errors.NewForbidden(groupResource, name, err): `roles.rbac.authorization.k8s.io "x" is forbidden: ...`. */
function forbiddenFor(attrs: AdmissionAttributes, message: string) {
  const name = attrs.object.metadata?.name ?? '';
  return forbidden(
    `${attrs.resource.resource}.${RBAC_GROUP} ${JSON.stringify(name)} is forbidden: ${message}`,
    {
      name,
      group: RBAC_GROUP,
      kind: attrs.resource.resource,
    },
  );
}
