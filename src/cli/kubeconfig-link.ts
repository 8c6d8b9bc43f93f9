/**
 * Links the user's kubeconfig to a podbay data dir (`podbay up`) and unlinks it (`podbay down`).
 * The data dir remembers which file was edited and which context was current before, in
 * `user-kubeconfig.json`, so `down` restores that context even when $KUBECONFIG changed since.
 * Files are written atomically (temp + rename) with mode 0600; a missing ~/.kube is made 0700.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isEmptyKubeconfig, mergeKubeconfig, podbayEntries, unmergeKubeconfig } from './user-kubeconfig.js';

const STATE_FILE = 'user-kubeconfig.json';

interface LinkState {
  path: string;
  previousContext?: string;
  /** `up` made the file: `down` removes it again if nothing but podbay's entries was ever in it. */
  created?: boolean;
  names: { cluster: string; user: string; context: string };
}

function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.podbay-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
}

function readState(dataDir: string): LinkState | undefined {
  const p = join(dataDir, STATE_FILE);
  if (!existsSync(p)) return undefined;
  return JSON.parse(readFileSync(p, 'utf8')) as LinkState;
}

/** Merges podbay's entries into `path` and makes podbay current; returns the context name. */
export function linkUserKubeconfig(dataDir: string, path: string): string {
  const serverConfig = join(dataDir, 'kubeconfig');
  const entries = podbayEntries(readFileSync(serverConfig, 'utf8'), serverConfig);
  const before = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  const merged = mergeKubeconfig(before, entries, path);
  writeAtomic(path, merged.text);
  // A re-run finds podbay already current: keep the context remembered by the first run.
  const earlier = readState(dataDir);
  const previousContext =
    merged.previousContext ?? (earlier?.path === path ? earlier.previousContext : undefined);
  const created = before === undefined || (earlier?.path === path && earlier.created === true);
  const state: LinkState = {
    path,
    ...(previousContext !== undefined && { previousContext }),
    ...(created && { created }),
    names: { cluster: entries.cluster.name, user: entries.user.name, context: entries.context.name },
  };
  writeAtomic(join(dataDir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
  return entries.context.name;
}

/**
 * Takes podbay's entries out of the file `up` edited (or `fallbackPath` when `up` ran with
 * --no-kubeconfig or the state is gone) and restores the previous context; a file `up` created that
 * is now empty is removed. Returns the file edited, or undefined when there was nothing to do. Safe
 * to call twice.
 */
export function unlinkUserKubeconfig(dataDir: string, fallbackPath: string): string | undefined {
  const state = readState(dataDir);
  const path = state?.path ?? fallbackPath;
  if (!existsSync(path)) return undefined;
  const names = state?.names ?? { cluster: 'podbay', user: 'podbay-admin', context: 'podbay' };
  const before = readFileSync(path, 'utf8');
  const after = unmergeKubeconfig(before, names, state?.previousContext, path);
  rmSync(join(dataDir, STATE_FILE), { force: true });
  if (state?.created === true && isEmptyKubeconfig(after, path)) rmSync(path);
  else if (after !== before) writeAtomic(path, after);
  // Nothing of podbay's was in it (a `podbay server` that never ran `up`): say nothing was done.
  else return undefined;
  return path;
}
