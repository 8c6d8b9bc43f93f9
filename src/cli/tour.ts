/**
 * The text `podbay up` ends with: how to reach the cluster, the seed's "Testing Multi-Container
 * Patterns" commands with this run's real pod names, and where each pattern's effect shows. The
 * pattern part appears only when the patterns' pods are there (any other manifests get the short
 * form). `renderTour` is pure; `patternPods` reads the names from the API.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { type ApiConnection, apiGetJson } from './api-client.js';

export const PATTERNS_NAMESPACE = 'development';
/** Containers see the checkout read-only, so the ambassador's own --check runs from it. */
const AMBASSADOR_BIN = new URL('../../../images/redis-ambassador/bin/redis-ambassador.js', import.meta.url)
  .pathname;
const PATTERNS = ['sidecar', 'ambassador', 'adapter', 'init-container'] as const;
export type PatternName = (typeof PATTERNS)[number];

export interface TourInput {
  url: string;
  pid: number;
  logFile: string;
  serverKubeconfig: string;
  /** The user kubeconfig podbay's context was merged into, or undefined with --no-kubeconfig. */
  mergedInto: string | undefined;
  /** The first pod of each pattern (label `pattern=`), in namespace development. */
  patternPods: Partial<Record<PatternName, string>>;
}

/** The first live pod of each pattern label in namespace development. */
export async function patternPods(conn: ApiConnection): Promise<Partial<Record<PatternName, string>>> {
  const sel = encodeURIComponent(`pattern in (${PATTERNS.join(',')})`);
  const pods = (
    await apiGetJson<{ items: Pod[] }>(
      conn,
      `/api/v1/namespaces/${PATTERNS_NAMESPACE}/pods?labelSelector=${sel}`,
    )
  ).items
    .filter((p) => !p.metadata?.deletionTimestamp)
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  const found: Partial<Record<PatternName, string>> = {};
  for (const p of pods) {
    const pattern = p.metadata?.labels?.pattern as PatternName | undefined;
    if (pattern && found[pattern] === undefined) found[pattern] = p.metadata?.name ?? '';
  }
  return found;
}

function accessLines(t: TourInput): string[] {
  const lines = [`  server      ${t.url} (pid ${t.pid}), log ${t.logFile}`];
  if (t.mergedInto) {
    lines.push(`  kubectl     context "podbay" is current in ${t.mergedInto}; or, in another shell:`);
  } else {
    lines.push('  kubectl     point it at podbay:');
  }
  lines.push(`              export KUBECONFIG=${t.serverKubeconfig}`);
  return lines;
}

function patternLines(p: Required<TourInput['patternPods']>): string[] {
  return [
    '',
    `The seed's "Testing Multi-Container Patterns" commands, with this run's pods:`,
    `  kubectl config set-context --current --namespace=${PATTERNS_NAMESPACE}`,
    '  kubectl get pods -l pattern=sidecar -w',
    `  kubectl logs ${p.sidecar} -c web-app`,
    `  kubectl logs ${p.sidecar} -c log-shipper`,
    `  kubectl exec -it ${p.ambassador} -c web-app -- /bin/sh`,
    `  kubectl exec ${p.ambassador} -c redis-ambassador -- node ${AMBASSADOR_BIN} --check`,
    '  kubectl top pods --containers',
    `  kubectl describe pod ${p['init-container']}`,
    '',
    'Where each pattern shows its effect:',
    '  sidecar      kubectl port-forward deploy/web-app-with-logging 8080:80 &  curl localhost:8080/',
    `               the request, parsed, in: kubectl logs ${p.sidecar} -c log-shipper`,
    `  ambassador   kubectl port-forward pod/${p.ambassador} 3000 &  curl -X POST --data hi localhost:3000/items/a; curl localhost:3000/items/a`,
    '               the write on the master, the read on a replica:',
    '               kubectl exec -n database deploy/redis-master -- redis-cli info commandstats',
    '               kubectl exec -n database deploy/redis-replica -- redis-cli info commandstats',
    '  adapter      kubectl port-forward deploy/legacy-app-with-adapter 8080 9090 &  curl localhost:8080/',
    '               curl -s localhost:9090/metrics | grep legacy_requests_total',
    `  init         kubectl logs ${p['init-container']} -c db-migration   (and -c cache-warmer)`,
    '               kubectl port-forward deploy/web-app-with-init 8081:8080 &  curl localhost:8081/users',
  ];
}

export function renderTour(t: TourInput): string {
  const p = t.patternPods;
  const all = PATTERNS.every((name) => p[name] !== undefined);
  const lines = [
    ...accessLines(t),
    ...(all ? patternLines(p as Required<TourInput['patternPods']>) : ['', 'Try:  kubectl get pods -A']),
    '',
    'podbay status   what runs now',
    'podbay down     stop everything, leave nothing behind, remove the "podbay" context',
  ];
  return `${lines.join('\n')}\n`;
}
