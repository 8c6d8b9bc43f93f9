/**
 * `podbay up`: reuse or start the background server, apply the manifests, wait until every pod of
 * their namespaces is Ready, link the user's kubeconfig, print the tour. Steps, in order:
 *   1. find the running server of the data dir (pid file + /readyz), wait for one still starting,
 *      else start one
 *   2. kubectl apply each -f / -k source (unchanged objects stay unchanged: a re-run is quick)
 *   3. merge the `podbay` context into the user's kubeconfig (unless --no-kubeconfig)
 *   4. wait for Ready with live progress; on the deadline name each blocking pod and exit 1
 *   5. print the tour
 * The kubeconfig is linked before waiting so a user can look around while pods start.
 */
import { applySources } from './apply.js';
import { linkUserKubeconfig } from './kubeconfig-link.js';
import {
  awaitReady,
  findRunningServer,
  findServerProcess,
  serverPaths,
  startServer,
} from './server-process.js';
import { patternPods, renderTour } from './tour.js';
import { parseUpArgs } from './up-args.js';
import { userKubeconfigPath } from './user-kubeconfig.js';
import { type Output, waitUntilReady } from './wait-ready.js';

export async function upCommand(argv: string[], out: Output = process.stdout): Promise<number> {
  const o = parseUpArgs(argv);
  const say = (line: string) => out.write(`${line}\n`);
  const paths = serverPaths(o.dataDir);

  let server = await findRunningServer(paths);
  const starting = server ? undefined : findServerProcess(paths);
  if (server) {
    say(`podbay server running (pid ${server.pid}, ${server.conn.url})`);
  } else if (starting) {
    say(`podbay server (pid ${starting.pid}) is starting; waiting for it`);
    server = await awaitReady(paths, starting.pid, 60_000);
  } else {
    say(`starting podbay server (data dir ${paths.dataDir}, log ${paths.logFile})`);
    const t0 = Date.now();
    server = await startServer(paths, { listen: o.listen });
    say(
      `podbay server ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (pid ${server.pid}, ${server.conn.url})`,
    );
  }

  const applied = await applySources(paths.dataDir, o.sources, say);
  const mergedInto = o.mergeKubeconfig ? userKubeconfigPath() : undefined;
  if (mergedInto) linkUserKubeconfig(paths.dataDir, mergedInto);

  if (applied.namespaces.length > 0) {
    say(
      `waiting for the pods of ${applied.namespaces.join(', ')} to be Ready (up to ${o.timeoutMs / 1000} s)`,
    );
  }
  const result = await waitUntilReady(server.conn, applied.namespaces, o.timeoutMs, out);
  if (!result.ok) {
    say(`\nnot Ready after ${Math.round(result.elapsedMs / 1000)} s:`);
    for (const line of result.blocking) say(`  ${line}`);
    say(`\nThe server keeps running (podbay status; podbay down to stop it). Its log: ${paths.logFile}`);
    return 1;
  }
  const pods = result.readiness.reduce((n, r) => n + r.total, 0);
  say(`\npodbay is up: ${pods} pods Ready in ${(result.elapsedMs / 1000).toFixed(0)} s.\n`);
  out.write(
    renderTour({
      url: server.conn.url,
      pid: server.pid,
      logFile: paths.logFile,
      serverKubeconfig: paths.kubeconfig,
      mergedInto,
      patternPods: await patternPods(server.conn),
    }),
  );
  return 0;
}
