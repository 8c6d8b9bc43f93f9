/**
 * `podbay status`: is the server of the data dir running (pid, URL, uptime), this machine's node,
 * and the pods of every namespace that has any, with their Ready counts. Exit 0 when running,
 * 1 when not (so scripts can test it).
 */
import type { Deployment } from 'kubernetes-types/apps/v1';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { apiGetJson } from './api-client.js';
import { namespaceReadiness } from './readiness.js';
import { findRunningServer, serverPaths } from './server-process.js';
import { parseStatusArgs } from './up-args.js';
import type { Output } from './wait-ready.js';

function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60}s`;
  return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
}

export async function statusCommand(argv: string[], out: Output = process.stdout): Promise<number> {
  const { dataDir } = parseStatusArgs(argv);
  const paths = serverPaths(dataDir);
  const say = (line: string) => out.write(`${line}\n`);
  const server = await findRunningServer(paths);
  if (!server) {
    say(`podbay server: not running (data dir ${paths.dataDir}); start it with: podbay up`);
    return 1;
  }
  say(
    `podbay server: running, pid ${server.pid}, ${server.conn.url}, up ${duration(Date.now() - server.startedAt.getTime())}`,
  );
  say(`  data dir ${paths.dataDir}, log ${paths.logFile}, kubeconfig ${paths.kubeconfig}`);
  const nodes = (await apiGetJson<{ items: Node[] }>(server.conn, '/api/v1/nodes')).items;
  for (const n of nodes) {
    const ready = n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    say(`node ${n.metadata?.name}: ${ready ? 'Ready' : 'NotReady'}`);
  }
  if (nodes.length === 0) say('node: none (the server runs without pods: --no-run-pods)');
  const pods = (await apiGetJson<{ items: Pod[] }>(server.conn, '/api/v1/pods')).items;
  const deploys = (await apiGetJson<{ items: Deployment[] }>(server.conn, '/apis/apps/v1/deployments')).items;
  const namespaces = [...new Set(pods.map((p) => p.metadata?.namespace ?? ''))].sort();
  if (namespaces.length === 0) say('pods: none');
  for (const ns of namespaces) {
    const r = namespaceReadiness(
      ns,
      pods.filter((p) => p.metadata?.namespace === ns),
      deploys.filter((d) => d.metadata?.namespace === ns),
    );
    say(`  ${ns.padEnd(20)} ${r.ready}/${r.total} pods ready`);
  }
  return 0;
}
