/**
 * `podbay down`: stop the server of the data dir and leave nothing behind. Steps:
 *   1. if a server runs without --cleanup-on-exit (started by hand), delete every pod first
 *   2. SIGTERM and wait for the exit (the server removes its pods, bridge and nft tables)
 *   3. check the machine (links, nft tables, mounts, cgroups, shim processes, route_localnet); name leftovers
 *   4. remove the `podbay` entries from the user's kubeconfig, restoring the previous context
 *   5. with --purge, delete the data dir (only when no mount is left under it)
 * Safe to run when nothing runs: it still checks, unlinks and purges.
 */
import { existsSync, rmSync } from 'node:fs';
import { unlinkUserKubeconfig } from './kubeconfig-link.js';
import { runKubectl } from './kubectl.js';
import { machineLeftovers } from './machine-check.js';
import { findRunningServer, findServerProcess, serverPaths, stopServer } from './server-process.js';
import { parseDownArgs } from './up-args.js';
import { userKubeconfigPath } from './user-kubeconfig.js';
import type { Output } from './wait-ready.js';

export async function downCommand(argv: string[], out: Output = process.stdout): Promise<number> {
  const { dataDir, purge } = parseDownArgs(argv);
  const paths = serverPaths(dataDir);
  const say = (line: string) => out.write(`${line}\n`);

  const server = await findRunningServer(paths);
  const pid = server?.pid ?? findServerProcess(paths)?.pid;
  if (server && !server.argv.includes('--cleanup-on-exit')) {
    say('deleting every pod (the server was not started with --cleanup-on-exit)');
    const res = await runKubectl(paths.dataDir, [
      'delete',
      'pods',
      '--all',
      '--all-namespaces',
      '--wait',
      '--timeout=120s',
    ]);
    if (res.code !== 0) say(`warning: kubectl delete pods failed: ${res.stderr.trim()}`);
  }
  if (pid !== undefined) {
    const t0 = Date.now();
    const graceful = await stopServer(paths, pid);
    say(
      graceful
        ? `podbay server (pid ${pid}) stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s`
        : `podbay server (pid ${pid}) did not stop in time and was killed`,
    );
  } else {
    say(`podbay server: not running (data dir ${paths.dataDir})`);
  }

  const unlinked = unlinkUserKubeconfig(paths.dataDir, userKubeconfigPath());
  if (unlinked)
    say(
      existsSync(unlinked)
        ? `removed the "podbay" context from ${unlinked}`
        : `removed ${unlinked} (podbay up created it; nothing else was in it)`,
    );

  const leftovers = machineLeftovers(paths.dataDir);
  if (leftovers.length > 0) {
    say('left behind on this machine:');
    for (const l of leftovers) say(`  ${l}`);
    say(`see ${paths.logFile}`);
    return 1;
  }
  say(
    'nothing left behind: no podbay0 bridge, nft tables, mounts, cgroups or shim processes; route_localnet as before',
  );
  if (purge) {
    rmSync(paths.dataDir, { recursive: true, force: true });
    say(`removed ${paths.dataDir}`);
  }
  return 0;
}
