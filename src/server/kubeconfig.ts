/**
 * The kubeconfig podbay writes for its admin: cluster `podbay` with the CA embedded, user
 * `podbay-admin` with the bearer token, context `podbay`. Written atomically (temp + rename)
 * with mode 0600 only once the server is ready, so a client that finds it can use it.
 */
import { renameSync, writeFileSync } from 'node:fs';
import YAML from 'yaml';

export const CONTEXT_NAME = 'podbay';

export function kubeconfigFor(server: string, caCertPem: string, token: string) {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [
      {
        name: CONTEXT_NAME,
        cluster: { server, 'certificate-authority-data': Buffer.from(caCertPem).toString('base64') },
      },
    ],
    users: [{ name: `${CONTEXT_NAME}-admin`, user: { token } }],
    contexts: [
      {
        name: CONTEXT_NAME,
        context: { cluster: CONTEXT_NAME, user: `${CONTEXT_NAME}-admin`, namespace: 'default' },
      },
    ],
    'current-context': CONTEXT_NAME,
  };
}

export function writeKubeconfig(path: string, server: string, caCertPem: string, token: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, YAML.stringify(kubeconfigFor(server, caCertPem, token)), { mode: 0o600 });
  renameSync(tmp, path);
}
