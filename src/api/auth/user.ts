/**
 * Who a request is from (k8s.io/apiserver/pkg/authentication/user.Info): the name, uid, groups and extra
 * values every authenticator produces and that SelfSubjectReview (`kubectl auth whoami`) reports.
 */
import { isDNS1123Label, isDNS1123Subdomain } from '../validation/strings.js';

export interface UserInfo {
  readonly username: string;
  readonly uid?: string;
  readonly groups: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** user.AllAuthenticated and user.AllUnauthenticated. */
export const ALL_AUTHENTICATED = 'system:authenticated';
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';
export const ANONYMOUS = 'system:anonymous';
/** The superuser group (kubeadm's admin.conf used it until 1.29, kind's still does). */
export const SYSTEM_MASTERS = 'system:masters';

/**
 * The user of podbay's admin token (the kubeconfig's `podbay-admin`), as kube-apiserver's token file would
 * name it; the group adder appends system:authenticated, as upstream's does after every authenticator.
 */
export const ADMIN_USER: UserInfo = { username: 'podbay-admin', groups: [SYSTEM_MASTERS, ALL_AUTHENTICATED] };

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

/** serviceaccount.MakeUsername. */
export const serviceAccountUsername = (namespace: string, name: string): string =>
  `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`;

/** serviceaccount.MakeGroupNames: every ServiceAccount's groups, before system:authenticated. */
export const serviceAccountGroups = (namespace: string): string[] => [
  'system:serviceaccounts',
  `system:serviceaccounts:${namespace}`,
];

/**
 * serviceaccount.SplitUsername: the namespace and name of `system:serviceaccount:<ns>:<name>`, or undefined
 * for any other user name (a valid namespace name and ServiceAccount name, no further colons).
 */
export function splitServiceAccountUsername(username: string): [namespace: string, name: string] | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts as [string, string];
  if (isDNS1123Label(namespace).length > 0 || isDNS1123Subdomain(name).length > 0) return undefined;
  return [namespace, name];
}

/** What a ServiceAccount token proves (serviceaccount.ServiceAccountInfo). */
export interface ServiceAccountInfo {
  namespace: string;
  name: string;
  uid?: string;
  podName?: string;
  podUID?: string;
  nodeName?: string;
  nodeUID?: string;
  /** The token's `jti` claim. */
  tokenID?: string;
}

/**
 * ServiceAccountInfo.UserInfo, then the group adder's system:authenticated: the pod and node a token is
 * bound to and its credential id go into extra under upstream's keys (`kubectl auth whoami` shows them).
 */
export function serviceAccountUser(sa: ServiceAccountInfo): UserInfo {
  const extra: Record<string, string[]> = {};
  const key = (k: string) => `authentication.kubernetes.io/${k}`;
  if (sa.podName && sa.podUID) {
    extra[key('pod-name')] = [sa.podName];
    extra[key('pod-uid')] = [sa.podUID];
  }
  if (sa.tokenID) extra[key('credential-id')] = [`JTI=${sa.tokenID}`];
  if (sa.nodeName) {
    extra[key('node-name')] = [sa.nodeName];
    if (sa.nodeUID) extra[key('node-uid')] = [sa.nodeUID];
  }
  return {
    username: serviceAccountUsername(sa.namespace, sa.name),
    ...(sa.uid && { uid: sa.uid }),
    groups: [...serviceAccountGroups(sa.namespace), ALL_AUTHENTICATED],
    ...(Object.keys(extra).length > 0 && { extra }),
  };
}
