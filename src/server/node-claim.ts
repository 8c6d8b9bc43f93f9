/**
 * One engine runs pods on a machine at a time. Engines that run pods share the machine's podbay0 bridge,
 * the `podbay` cgroup roots and the `podbay*` nft tables, and each one's clean-up tears down what the
 * other made (as two kubelets on one node would fight over its containers): a second engine used to
 * start and then break the first one's pods. The engine that runs pods holds a claim file naming its pid,
 * the pid's start time and its data dir; another engine refuses to start while that process lives. The
 * claim of a process that died (kill -9, a crash) is stale and taken over, so re-adoption still works.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isSameProcessAlive, processStartTime } from '../runtime/process.js';

/** On tmpfs: a reboot, which ends every engine, also ends every claim. */
export const NODE_CLAIM_PATH = '/run/podbay/engine.json';

interface Claim {
  pid: number;
  startTime: number;
  dataDir: string;
}

export class NodeClaimedError extends Error {}

function read(path: string): Claim | undefined {
  try {
    const c = JSON.parse(readFileSync(path, 'utf8')) as Partial<Claim>;
    return typeof c.pid === 'number' && typeof c.startTime === 'number' && typeof c.dataDir === 'string'
      ? (c as Claim)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Claims the machine for this process's engine; returns the release. Throws NodeClaimedError if taken. */
export function claimNode(dataDir: string, path = NODE_CLAIM_PATH): () => void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  const mine: Claim = { pid: process.pid, startTime: processStartTime(process.pid) ?? 0, dataDir };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${JSON.stringify(mine)}\n`, { flag: 'wx', mode: 0o644 });
      return () => {
        const now = read(path);
        if (now?.pid === mine.pid && now.startTime === mine.startTime) rmSync(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = read(path);
    if (holder && isSameProcessAlive(holder.pid, holder.startTime)) {
      throw new NodeClaimedError(
        `another podbay engine (pid ${holder.pid}, data dir ${holder.dataDir}) runs pods on this machine; ` +
          `stop it first (podbay down --data-dir ${holder.dataDir}) or start this one with --no-run-pods`,
      );
    }
    // Stale (its engine died) or unreadable: take it over.
    rmSync(path, { force: true });
  }
  throw new NodeClaimedError(`could not claim ${path}: another engine claimed it at the same moment`);
}
