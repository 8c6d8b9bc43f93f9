/**
 * The ServiceAccount admission plugin's token volume (plugin/pkg/admission/serviceaccount): a new
 * pod that does not opt out gets a projected volume
 * `kube-api-access-<5 random>` — a bound token (3607 s), the cluster CA (`kube-root-ca.crt`) and
 * its namespace — mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount in every
 * container and init container that does not already mount that path. This is what
 * `kubectl describe pod` shows under Volumes and Mounts on a cluster, and how in-cluster clients
 * find the API's credentials.
 * Opting out is the admission plugin's shouldAutomount: the pod's `automountServiceAccountToken`
 * when set, else its ServiceAccount's, else true.
 */
import { randomInt } from 'node:crypto';
import type { Container, Pod, ServiceAccount, Volume } from 'kubernetes-types/core/v1';

export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const VOLUME_PREFIX = 'kube-api-access-';
/** utilrand.String's alphabet: no vowels or look-alikes. */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
/** Upstream's bound token lifetime for this volume: an hour plus 7 s (so it reads as "3607"). */
const TOKEN_EXPIRATION_SECONDS = 3607;

function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

function tokenVolume(name: string): Volume {
  return {
    name,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
          },
        },
      ],
    },
  };
}

/** The pod's ServiceAccount as stored (undefined when it does not exist). */
export type ServiceAccountLookup = (namespace: string, name: string) => ServiceAccount | undefined;

/** The ServiceAccount a new pod runs as: defaulting (`default`) has not run yet when this is asked. */
export const serviceAccountNameOf = (pod: Pod): string =>
  pod.spec?.serviceAccountName || pod.spec?.serviceAccount || 'default';

/** shouldAutomount: the pod's own choice wins; without one, its ServiceAccount's; else mount. */
export function shouldAutomount(pod: Pod, serviceAccount: ServiceAccount | undefined): boolean {
  const own = pod.spec?.automountServiceAccountToken;
  if (own !== undefined && own !== null) return own;
  const sa = serviceAccount?.automountServiceAccountToken;
  return sa === undefined || sa === null ? true : sa;
}

const mountsTokenPath = (c: Container) =>
  (c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH);

/**
 * Adds the token volume and mounts to a pod being created (idempotent: an existing one is kept),
 * unless the pod or, when the pod does not say, its ServiceAccount opts out.
 */
export function addServiceAccountTokenVolume(pod: Pod, serviceAccounts: ServiceAccountLookup): void {
  const spec = pod.spec;
  if (!spec) return;
  const namespace = pod.metadata?.namespace ?? '';
  if (!shouldAutomount(pod, serviceAccounts(namespace, serviceAccountNameOf(pod)))) return;
  const volumes = spec.volumes ?? [];
  let name = volumes.find((v) => v.name.startsWith(VOLUME_PREFIX) && v.projected)?.name;
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].filter(
    (c) => !mountsTokenPath(c),
  );
  if (containers.length === 0) return;
  if (!name) {
    do name = VOLUME_PREFIX + randomSuffix();
    while (volumes.some((v) => v.name === name));
    spec.volumes = [...volumes, tokenVolume(name)];
  }
  for (const c of containers) {
    c.volumeMounts = [
      ...(c.volumeMounts ?? []),
      { name, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH },
    ];
  }
}
