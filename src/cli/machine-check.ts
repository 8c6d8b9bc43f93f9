/**
 * What `podbay down` verifies after the server stopped: the kernel's view, not podbay's records.
 * Anything podbay creates for pods is named so it can be recognised here: the `podbay0` bridge and
 * `pbv*` veths, nft tables `podbay*` (bridge NAT, Service proxy), cgroups under `podbay/` in each
 * hierarchy, mounts under the data dir, and `podbay-shim` processes (pause holders, monitors); and the one
 * host sysctl it changes, route_localnet, while its saved value says it was not put back.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROUTE_LOCALNET,
  ROUTE_LOCALNET_PROC,
  routeLocalnetStateFile,
} from '../network/proxy/route-localnet.js';
import { CGROUP_ROOT } from '../runtime/cgroups.js';

function run(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

function links(): string[] {
  return [...run('ip', ['-o', 'link', 'show']).matchAll(/^\d+: (podbay0|pbv[0-9a-f]+)[:@]/gm)].map(
    (m) => `network link ${m[1]}`,
  );
}

function nftTables(): string[] {
  return [...run('nft', ['list', 'tables']).matchAll(/^table (\w+) (podbay[\w-]*)$/gm)].map(
    (m) => `nft table ${m[1]} ${m[2]}`,
  );
}

function mountsUnder(dataDir: string): string[] {
  const prefix = `${dataDir.replace(/\/$/, '')}/`;
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((target) => target.startsWith(prefix))
    .map((target) => `mount ${target}`);
}

function cgroups(): string[] {
  if (!existsSync(CGROUP_ROOT)) return [];
  const dirs = [
    join(CGROUP_ROOT, 'podbay'),
    ...readdirSync(CGROUP_ROOT).map((h) => join(CGROUP_ROOT, h, 'podbay')),
  ];
  return dirs.filter((d) => existsSync(d)).map((d) => `cgroup ${d}`);
}

function shimProcesses(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let argv0 = '';
    try {
      argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    } catch {
      continue; // exited while we looked
    }
    if (argv0.endsWith('/podbay-shim') || argv0 === 'podbay-shim') found.push(`process ${pid} (${argv0})`);
  }
  return found;
}

/** route_localnet still differing from the value the engine found (and saved) before it changed it. */
function routeLocalnet(dataDir: string): string[] {
  const file = routeLocalnetStateFile(dataDir);
  let before: string;
  let now: string;
  try {
    before = readFileSync(file, 'utf8').trim();
    now = readFileSync(ROUTE_LOCALNET_PROC, 'utf8').trim();
  } catch {
    return []; // no saved value: never changed, or already put back
  }
  return now === before
    ? []
    : [`sysctl ${ROUTE_LOCALNET}=${now} (${before} before podbay, saved in ${file})`];
}

/** Everything podbay left on this machine; empty means clean. */
export function machineLeftovers(dataDir: string): string[] {
  return [
    ...links(),
    ...nftTables(),
    ...mountsUnder(dataDir),
    ...cgroups(),
    ...shimProcesses(),
    ...routeLocalnet(dataDir),
  ];
}
