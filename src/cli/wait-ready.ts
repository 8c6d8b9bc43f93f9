/**
 * `podbay up`'s waiting step: polls the pods and Deployments of the applied namespaces once a
 * second, shows one compact progress line (rewritten in place on a terminal, printed on change
 * otherwise), and returns once every namespace is settled or the deadline passes. On the deadline
 * it explains each pod that is not Ready: kubectl's STATUS, the waiting container's reason and
 * the pod's last event, so the user sees what blocks without running kubectl.
 */
import type { Deployment } from 'kubernetes-types/apps/v1';
import type { ContainerStatus, Event, Pod } from 'kubernetes-types/core/v1';
import { type ApiConnection, apiGetJson, apiGetTable } from './api-client.js';
import {
  formatReadiness,
  livePods,
  type NamespaceReadiness,
  namespaceReadiness,
  podIsReady,
} from './readiness.js';

export interface Output {
  write(text: string): void;
  isTTY?: boolean;
}

export interface WaitResult {
  ok: boolean;
  elapsedMs: number;
  readiness: NamespaceReadiness[];
  /** One line per pod not Ready when the deadline passed. */
  blocking: string[];
}

const POLL_MS = 1000;

async function listPods(conn: ApiConnection, ns: string): Promise<Pod[]> {
  return (await apiGetJson<{ items: Pod[] }>(conn, `/api/v1/namespaces/${ns}/pods`)).items;
}

async function snapshot(conn: ApiConnection, namespaces: readonly string[]): Promise<NamespaceReadiness[]> {
  return Promise.all(
    namespaces.map(async (ns) => {
      const [pods, deploys] = await Promise.all([
        listPods(conn, ns),
        apiGetJson<{ items: Deployment[] }>(conn, `/apis/apps/v1/namespaces/${ns}/deployments`),
      ]);
      return namespaceReadiness(ns, pods, deploys.items);
    }),
  );
}

/** The first container that is not ready, with what its state says about why. */
function containerReason(pod: Pod): string {
  const describe = (kind: string, s: ContainerStatus) => {
    const w = s.state?.waiting;
    const t = s.state?.terminated ?? s.lastState?.terminated;
    if (w?.reason) return `${kind} ${s.name} waiting: ${w.reason}${w.message ? ` (${w.message})` : ''}`;
    if (t) return `${kind} ${s.name} terminated: ${t.reason ?? `exit ${t.exitCode}`}`;
    return `${kind} ${s.name} running, not ready`;
  };
  const init = (pod.status?.initContainerStatuses ?? []).find((s) => !s.ready && !s.state?.terminated);
  if (init) return describe('init container', init);
  const main = (pod.status?.containerStatuses ?? []).find((s) => !s.ready);
  if (main) return describe('container', main);
  const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status !== 'True');
  return unscheduled
    ? `not scheduled: ${unscheduled.message ?? unscheduled.reason ?? ''}`
    : 'no container status yet';
}

async function lastEvent(conn: ApiConnection, ns: string, pod: string): Promise<string> {
  const sel = encodeURIComponent(`involvedObject.name=${pod}`);
  const events = (
    await apiGetJson<{ items: Event[] }>(conn, `/api/v1/namespaces/${ns}/events?fieldSelector=${sel}`)
  ).items;
  const when = (e: Event) => e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '';
  const last = events.sort((a, b) => when(a).localeCompare(when(b))).at(-1);
  return last ? `${last.reason}: ${last.message ?? ''}`.trim() : 'none';
}

/** `development/web-app-with-init-7d9f-x2b  Init:0/2  init container db-migration waiting: … · last event: …` */
export async function explainNotReady(conn: ApiConnection, namespaces: readonly string[]): Promise<string[]> {
  const lines: string[] = [];
  for (const ns of namespaces) {
    const table = await apiGetTable(conn, `/api/v1/namespaces/${ns}/pods`);
    const statusAt = table.columnDefinitions.findIndex((c) => c.name === 'Status');
    const statusOf = new Map(
      table.rows.map((r) => [r.object.metadata?.name ?? '', String(r.cells[statusAt] ?? '')]),
    );
    for (const pod of livePods(await listPods(conn, ns))) {
      if (podIsReady(pod)) continue;
      const name = pod.metadata?.name ?? '';
      lines.push(
        `${ns}/${name}  ${statusOf.get(name) ?? pod.status?.phase ?? ''}  ${containerReason(pod)} · last event: ${await lastEvent(conn, ns, name)}`,
      );
    }
  }
  return lines;
}

export async function waitUntilReady(
  conn: ApiConnection,
  namespaces: readonly string[],
  timeoutMs: number,
  out: Output,
): Promise<WaitResult> {
  const started = Date.now();
  let shown = '';
  let readiness: NamespaceReadiness[] = [];
  for (;;) {
    readiness = await snapshot(conn, namespaces);
    const elapsedMs = Date.now() - started;
    const line = formatReadiness(readiness);
    if (out.isTTY) out.write(`\r\x1b[K${String(Math.round(elapsedMs / 1000)).padStart(4)}s  ${line}`);
    else if (line !== shown) out.write(`${String(Math.round(elapsedMs / 1000)).padStart(4)}s  ${line}\n`);
    shown = line;
    if (readiness.every((r) => r.settled)) {
      if (out.isTTY) out.write('\n');
      return { ok: true, elapsedMs, readiness, blocking: [] };
    }
    if (elapsedMs >= timeoutMs) {
      if (out.isTTY) out.write('\n');
      return { ok: false, elapsedMs, readiness, blocking: await explainNotReady(conn, namespaces) };
    }
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(0, timeoutMs - elapsedMs))));
  }
}
