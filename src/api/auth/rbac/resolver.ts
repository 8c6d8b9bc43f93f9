/**
 * The RBAC rule resolver (pkg/registry/rbac/validation/rule.go DefaultRuleResolver): which PolicyRules a
 * user holds in a namespace, visited binding by binding so the authorizer can stop at the first rule that
 * allows and name where it came from. Order, as upstream's VisitRulesFor: ClusterRoleBindings first (their
 * ClusterRole), then the namespace's RoleBindings (their Role, or a ClusterRole granted in that namespace);
 * within each, bindings by name (upstream visits in informer order, which is not stable).
 *
 * Source of truth is the store; this module only indexes it. The index is rebuilt lazily, on the first
 * question after any RBAC object changed (a store event), never scanned per request: bindings are found by
 * subject (user name, each group, the ServiceAccount user name), roles by name.
 */
import type {
  ClusterRole,
  ClusterRoleBinding,
  PolicyRule,
  Role,
  RoleBinding,
  RoleRef,
  Subject,
} from 'kubernetes-types/rbac/v1';
import type { Store } from '../../../store/sqlite-store.js';
import { serviceAccountUsername, type UserInfo } from '../user.js';

const RBAC_RESOURCES = new Set(['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings']);

type Binding = RoleBinding | ClusterRoleBinding;

/** Where a visited rule comes from (upstream's clusterRoleBindingDescriber / roleBindingDescriber). */
export interface RuleSource {
  readonly binding: Binding;
  readonly subject: Subject;
  /** '' for a ClusterRoleBinding. */
  readonly namespace: string;
}

/** `ClusterRoleBinding "b" of ClusterRole "r" to User "jane"`, `RoleBinding "b/ns" of Role "r" to ...`. */
export function describeSource(s: RuleSource): string {
  const ref = s.binding.roleRef;
  const what = s.namespace
    ? `RoleBinding ${JSON.stringify(`${s.binding.metadata?.name ?? ''}/${s.namespace}`)}`
    : `ClusterRoleBinding ${JSON.stringify(s.binding.metadata?.name ?? '')}`;
  return `${what} of ${ref.kind} ${JSON.stringify(ref.name)} to ${describeSubject(s.subject, s.namespace)}`;
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount')
    return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

/** rule.go appliesToUser: a User by name, a Group by membership, a ServiceAccount by its user name. */
export function appliesToUser(user: UserInfo, s: Subject, namespace: string): boolean {
  switch (s.kind) {
    case 'User':
      return user.username === s.name;
    case 'Group':
      return user.groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || namespace;
      return ns !== '' && user.username === serviceAccountUsername(ns, s.name);
    }
    default:
      return false;
  }
}

/** The index key a subject is found under, or undefined when it can match no one. */
function subjectKey(s: Subject, namespace: string): string | undefined {
  switch (s.kind) {
    case 'User':
      return `u\0${s.name}`;
    case 'Group':
      return `g\0${s.name}`;
    case 'ServiceAccount': {
      const ns = s.namespace || namespace;
      return ns ? `u\0${serviceAccountUsername(ns, s.name)}` : undefined;
    }
    default:
      return undefined;
  }
}

const userKeys = (user: UserInfo): string[] => [`u\0${user.username}`, ...user.groups.map((g) => `g\0${g}`)];

interface BindingSet {
  /** Bindings by name, each with its position (the visiting order). */
  readonly bySubject: Map<string, { order: number; binding: Binding }[]>;
}

interface Index {
  readonly clusterRoles: Map<string, ClusterRole>;
  readonly roles: Map<string, Role>;
  readonly clusterBindings: BindingSet;
  readonly roleBindings: Map<string, BindingSet>;
}

const byName = (a: Binding, b: Binding): number => {
  const x = a.metadata?.name ?? '';
  const y = b.metadata?.name ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
};

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function bindingSet(bindings: readonly Binding[], namespace: string): BindingSet {
  const bySubject = new Map<string, { order: number; binding: Binding }[]>();
  [...bindings].sort(byName).forEach((binding, order) => {
    const keys = new Set((binding.subjects ?? []).map((s) => subjectKey(s, namespace)));
    for (const k of keys) {
      if (k === undefined) continue;
      pushTo(bySubject, k, { order, binding });
    }
  });
  return { bySubject };
}

/** Visitor contract as upstream's: return false to stop visiting. */
export type RuleVisitor = (
  source: RuleSource | undefined,
  rule: PolicyRule | undefined,
  err?: string,
) => boolean;

export class RuleResolver {
  readonly #store: Store;
  #index: Index | undefined;
  readonly #unsubscribe: () => void;

  constructor(store: Store) {
    this.#store = store;
    this.#unsubscribe = store.subscribe((e) => {
      if (RBAC_RESOURCES.has(e.key.resource)) this.#index = undefined;
    });
  }

  /** Stops following the store; safe to call twice. */
  close(): void {
    this.#unsubscribe();
  }

  /** Forgets the index now (writers that must see their own write before the store event's microtask). */
  invalidate(): void {
    this.#index = undefined;
  }

  #build(): Index {
    const objects = <T>(resource: string) => this.#store.list(resource).map((o) => o.object as unknown as T);
    const clusterRoles = new Map(
      objects<ClusterRole>('clusterroles').map((r) => [r.metadata?.name ?? '', r]),
    );
    const roles = new Map(
      objects<Role>('roles').map((r) => [`${r.metadata?.namespace ?? ''}/${r.metadata?.name ?? ''}`, r]),
    );
    const perNamespace = new Map<string, RoleBinding[]>();
    for (const b of objects<RoleBinding>('rolebindings')) {
      pushTo(perNamespace, b.metadata?.namespace ?? '', b);
    }
    const roleBindings = new Map([...perNamespace].map(([ns, list]) => [ns, bindingSet(list, ns)]));
    return {
      clusterRoles,
      roles,
      clusterBindings: bindingSet(objects<ClusterRoleBinding>('clusterrolebindings'), ''),
      roleBindings,
    };
  }

  #current(): Index {
    this.#index ??= this.#build();
    return this.#index;
  }

  /**
   * GetRoleReferenceRules: the rules of the role a binding names, or the lister's NotFound text
   * (`role.rbac.authorization.k8s.io "x" not found`) as an error.
   */
  roleReferenceRules(ref: RoleRef, namespace: string): { rules: readonly PolicyRule[] } | { error: string } {
    const index = this.#current();
    switch (ref.kind) {
      case 'Role': {
        const role = index.roles.get(`${namespace}/${ref.name}`);
        return role
          ? { rules: role.rules ?? [] }
          : { error: `role.rbac.authorization.k8s.io "${ref.name}" not found` };
      }
      case 'ClusterRole': {
        const role = index.clusterRoles.get(ref.name);
        return role
          ? { rules: role.rules ?? [] }
          : { error: `clusterrole.rbac.authorization.k8s.io "${ref.name}" not found` };
      }
      default:
        return { error: `unsupported role reference kind: ${JSON.stringify(ref.kind)}` };
    }
  }

  /** VisitRulesFor: every rule `user` holds in `namespace` ('' = cluster-wide only), until `visit` says stop. */
  visitRulesFor(user: UserInfo, namespace: string, visit: RuleVisitor): void {
    const index = this.#current();
    const sets: [BindingSet | undefined, string][] = [[index.clusterBindings, '']];
    if (namespace) sets.push([index.roleBindings.get(namespace), namespace]);
    for (const [set, ns] of sets) {
      if (!set) continue;
      for (const binding of this.#matching(set, user)) {
        // The first subject that applies is the one the reason names.
        const subject = (binding.subjects ?? []).find((s) => appliesToUser(user, s, ns))!;
        const rules = this.roleReferenceRules(binding.roleRef, ns);
        if ('error' in rules) {
          if (!visit(undefined, undefined, rules.error)) return;
          continue;
        }
        const source: RuleSource = { binding, subject, namespace: ns };
        for (const rule of rules.rules) if (!visit(source, rule)) return;
      }
    }
  }

  /** The bindings of a set that name this user, in visiting order, each once. */
  #matching(set: BindingSet, user: UserInfo): Binding[] {
    const found = new Map<number, Binding>();
    for (const k of userKeys(user)) for (const e of set.bySubject.get(k) ?? []) found.set(e.order, e.binding);
    return [...found].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
  }

  /** RulesFor: every rule the user holds there, and the errors met resolving them. */
  rulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    this.visitRulesFor(user, namespace, (_source, rule, err) => {
      if (rule) rules.push(rule);
      if (err) errors.push(err);
      return true;
    });
    return { rules, errors };
  }
}
