/**
 * Reads one container attempt's CRI log: the rotated files (`<path>.<YYYYMMDD-HHMMSS>`, oldest
 * first), then the live file, and with `follow` keeps reading the live file as the shim appends
 * to it — woken by inotify on the log directory (log-watch.ts), not by polling — switching to the
 * new file when the shim rotates (same path, new inode), until the attempt has ended and
 * everything it wrote was read (kubelet's ReadLogs: follow ends once the container is no longer
 * running and the file is drained).
 *
 * Contract: lines reach `emit` in write order, each exactly once, unless a rotation happens between
 * opening the live file and listing the rotated ones (then the rotated copy is read as well; the
 * window is one directory listing long).
 */
import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ContainerAttempt } from './backend.js';
import { CriLogParser, type LogLine } from './cri-log.js';
import { LOG_FORCE_CHECK_MS, LogFileWatch } from './log-watch.js';

export interface ReadLogOptions {
  follow: boolean;
  tailLines?: number;
  sinceMs?: number;
  /**
   * The follow's safety-net period (default 1 s, kubelet's logForceCheckPeriod): new bytes wake it
   * through inotify at once; this bounds the wait when no event comes, e.g. after the attempt exits.
   */
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

/** Receives parsed lines in order; false stops the read. */
type LinesHandler = (lines: LogLine[]) => Promise<boolean>;

/**
 * Reads from `position` to the current end, a chunk at a time (a 10 MiB file is never held whole);
 * returns the new position, or undefined once `onLines` asked to stop.
 */
async function drain(
  fh: FileHandle,
  position: number,
  parser: CriLogParser,
  onLines: LinesHandler,
): Promise<number | undefined> {
  const buf = Buffer.alloc(CHUNK);
  for (;;) {
    const { bytesRead } = await fh.read(buf, 0, CHUNK, position);
    if (bytesRead === 0) return position;
    position += bytesRead;
    if (!(await onLines(parser.push(buf.subarray(0, bytesRead))))) return undefined;
  }
}

/**
 * The history phase's line handling: since-filtered lines go straight to the sink, or with
 * tailLines only the last N are kept (bounded memory) and sent by `finish`.
 */
function historyHandler(o: ReadLogOptions, sink: LineSink) {
  const keep = (l: LogLine) => o.sinceMs === undefined || l.timeMs >= o.sinceMs;
  const tail = o.tailLines;
  let kept: LogLine[] = [];
  const onLines: LinesHandler = async (lines) => {
    for (const l of lines) {
      if (!keep(l)) continue;
      if (tail === undefined) {
        if (!(await sink(l))) return false;
      } else if (tail > 0) {
        kept.push(l);
        if (kept.length >= 2 * tail) kept = kept.slice(-tail);
      }
    }
    return true;
  };
  const finish = async (): Promise<boolean> => {
    for (const l of tail === undefined ? [] : kept.slice(-tail)) if (!(await sink(l))) return false;
    kept = [];
    return true;
  };
  return { onLines, finish, keep };
}

export async function readContainerLog(
  attempt: ContainerAttempt,
  o: ReadLogOptions,
  sink: LineSink,
): Promise<void> {
  const parser = new CriLogParser();
  const history = historyHandler(o, sink);
  let live = await openIfExists(attempt.logPath);
  try {
    // 1. Everything written so far, with since/tail applied to the whole history.
    for (const path of await rotatedFiles(attempt.logPath)) {
      const fh = await openIfExists(path);
      if (!fh) continue; // pruned by the shim meanwhile
      try {
        if ((await drain(fh, 0, parser, history.onLines)) === undefined) return;
      } finally {
        await fh.close();
      }
    }
    const historyEnd = live ? await drain(live, 0, parser, history.onLines) : 0;
    if (historyEnd === undefined) return;
    let position = historyEnd;
    if (!o.follow && !(await history.onLines(parser.flush()))) return;
    if (!(await history.finish()) || !o.follow) return;

    // 2. Follow, woken by inotify on the log directory (timer as safety net), until the
    //    attempt ended and everything it wrote was read (kubelet's ReadLogs/waitLogs).
    const pollMs = o.pollMs ?? LOG_FORCE_CHECK_MS;
    const onLines: LinesHandler = async (lines) => {
      for (const line of lines) if (history.keep(line) && !(await sink(line))) return false;
      return true;
    };
    /** Reads to the end of the live file, across any rotations since; false once the sink stopped. */
    const catchUp = async (): Promise<boolean> => {
      for (;;) {
        if (live) {
          const end = await drain(live, position, parser, onLines);
          if (end === undefined) return false;
          position = end;
        }
        if (!(await replacedOnDisk(attempt.logPath, live))) return true;
        // The shim renamed the file we hold and opened a new one: finish the old, then switch.
        if (live) {
          const done = await drain(live, position, parser, onLines);
          await live.close();
          live = undefined;
          if (done === undefined) return false;
        }
        live = await openIfExists(attempt.logPath);
        position = 0;
        if (!live) return true; // gone again between stat and open: the next event brings it back
      }
    };
    // The watch exists before the first catch-up, so a write is either read by it or wakes us.
    const watch = new LogFileWatch(attempt.logPath);
    try {
      for (;;) {
        if (o.signal.aborted || !(await catchUp())) return;
        if (!(await attempt.running())) {
          // Ended: its last bytes were written before it exited; read them, then stop.
          if (await catchUp()) await onLines(parser.flush());
          return;
        }
        if ((await watch.next(pollMs, o.signal)) === 'aborted') return;
      }
    } finally {
      watch.close();
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
    return false; // between rename and re-create: its creation wakes the follow
  }
  if (!held) return true;
  const mine = await held.stat();
  return mine.ino !== onDisk.ino || mine.dev !== onDisk.dev;
}
