/**
 * Reads one container attempt's CRI log: the rotated files (`<path>.<YYYYMMDD-HHMMSS>`, oldest
 * first), then the live file, and with `follow` keeps reading the live file as the shim appends
 * to it, switching to the new file when the shim rotates (same path, new inode), until the attempt
 * has ended and everything it wrote was read.
 *
 * Contract: lines reach `emit` in write order, each exactly once, unless a rotation happens between
 * opening the live file and listing the rotated ones (then the rotated copy is read as well; the
 * window is one directory listing long).
 */
import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ContainerAttempt } from './backend.js';
import { CriLogParser, type LogLine } from './cri-log.js';

export interface ReadLogOptions {
  follow: boolean;
  tailLines?: number;
  sinceMs?: number;
  /** How often a follow looks for new bytes; the shim gives no notification. */
  pollMs?: number;
  signal: AbortSignal;
}

/** Returns false to stop reading (the byte limit was reached or the client left). */
export type LineSink = (line: LogLine) => boolean | Promise<boolean>;

const CHUNK = 64 * 1024;

async function rotatedFiles(logPath: string): Promise<string[]> {
  const prefix = `${basename(logPath)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(logPath));
  } catch {
    return [];
  }
  // The suffix is a UTC timestamp (plus a counter), so name order is age order.
  return names
    .filter((n) => n.startsWith(prefix))
    .sort()
    .map((n) => join(dirname(logPath), n));
}

async function openIfExists(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Reads from `position` to the current end; returns the new position. */
async function drain(
  fh: FileHandle,
  position: number,
  parser: CriLogParser,
  out: LogLine[],
): Promise<number> {
  const buf = Buffer.alloc(CHUNK);
  for (;;) {
    const { bytesRead } = await fh.read(buf, 0, CHUNK, position);
    if (bytesRead === 0) return position;
    position += bytesRead;
    out.push(...parser.push(buf.subarray(0, bytesRead)));
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

export async function readContainerLog(
  attempt: ContainerAttempt,
  o: ReadLogOptions,
  sink: LineSink,
): Promise<void> {
  const parser = new CriLogParser();
  const keep = (l: LogLine) => o.sinceMs === undefined || l.timeMs >= o.sinceMs;
  let live = await openIfExists(attempt.logPath);
  try {
    // 1. Everything written so far, with since/tail applied to the whole history.
    let history: LogLine[] = [];
    for (const path of await rotatedFiles(attempt.logPath)) {
      const fh = await openIfExists(path);
      if (!fh) continue; // pruned by the shim meanwhile
      try {
        await drain(fh, 0, parser, history);
      } finally {
        await fh.close();
      }
    }
    let position = live ? await drain(live, 0, parser, history) : 0;
    if (!o.follow) history.push(...parser.flush());
    history = history.filter(keep);
    if (o.tailLines !== undefined) history = o.tailLines === 0 ? [] : history.slice(-o.tailLines);
    for (const line of history) if (!(await sink(line))) return;
    if (!o.follow) return;

    // 2. Follow: poll the live file until the attempt ended and its last bytes were read.
    const pollMs = o.pollMs ?? 200;
    for (;;) {
      if (o.signal.aborted) return;
      const ended = !(await attempt.running());
      const fresh: LogLine[] = [];
      if (live) position = await drain(live, position, parser, fresh);
      const rotated = await replacedOnDisk(attempt.logPath, live);
      if (rotated) {
        // The shim renamed the file we hold and opened a new one: finish the old, then switch.
        if (live) {
          await drain(live, position, parser, fresh);
          await live.close();
        }
        live = await openIfExists(attempt.logPath);
        position = live ? await drain(live, 0, parser, fresh) : 0;
      }
      if (ended && !rotated) fresh.push(...parser.flush());
      for (const line of fresh) if (keep(line) && !(await sink(line))) return;
      if (ended && !rotated) return;
      await sleep(pollMs, o.signal);
    }
  } finally {
    await live?.close();
  }
}

/** True when `path` now names a different file than `held` (rotation), or appeared since. */
async function replacedOnDisk(path: string, held: FileHandle | undefined): Promise<boolean> {
  let onDisk: Awaited<ReturnType<typeof stat>>;
  try {
    onDisk = await stat(path);
  } catch {
    return false; // between rename and re-open: look again next poll
  }
  if (!held) return true;
  const mine = await held.stat();
  return mine.ino !== onDisk.ino || mine.dev !== onDisk.dev;
}
