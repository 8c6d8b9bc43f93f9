/**
 * Source of truth for which files one input follows: one Tailer per file identity. Reconciles each
 * glob scan with the open tailers and with the checkpoints a previous run left:
 *
 *   found file, inode already followed      → same tailer (path updated if renamed within the glob)
 *   found file, matches a checkpoint        → resume at the checkpoint (same inode and first bytes,
 *                                             or same first bytes under a new inode: a copy)
 *   found file, new                         → read from 0 (or its end for read_from: tail, first scan only)
 *   followed file no longer at its path     → draining: read to EOF, close after rotate_wait idle
 *   checkpoint with no file at startup      → look for the rotated file beside it and finish it
 */
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { InputConfig } from '../config/types.js';
import type { CheckpointEntry, CheckpointStore } from '../state/checkpoint-store.js';
import { Discovery, type FoundFile } from './discovery.js';
import { globBase } from './glob.js';
import { sameInode, startsWith } from './identity.js';
import type { SplitLine } from './line-splitter.js';
import { findRotatedCopy } from './rotated-copy.js';
import { Tailer } from './tailer.js';

export interface FileInputDeps {
  readonly config: InputConfig;
  readonly store: CheckpointStore;
  readonly onLine: (tailer: Tailer, line: SplitLine) => void;
  /** The file's fingerprint changed (grew, or truncated and refilled); ordered with its lines. */
  readonly onIdentity: (tailer: Tailer) => void;
  readonly onFileEvent: (event: FileEvent) => void;
  /** Wakes the reading loop (a directory changed). */
  readonly wake: (rescan: boolean) => void;
  readonly nextId: () => string;
}

export type FileEvent =
  | { kind: 'opened'; path: string; offset: number; resumed: boolean }
  | { kind: 'unreadable'; path: string; error: string }
  | { kind: 'truncated'; path: string; recoveredBytes: number }
  | { kind: 'finished'; path: string; offset: number };

/** Minimum fingerprint length for matching a checkpoint to a file by content alone. */
const MIN_CONTENT_MATCH_BYTES = 64;

export class FileInput {
  readonly config: InputConfig;
  readonly #deps: FileInputDeps;
  readonly #discovery: Discovery;
  readonly #tailers = new Map<string, Tailer>();
  /** Paths that failed to open, so each failure is reported once, not every scan. */
  readonly #unreadable = new Set<string>();
  #scans = 0;

  constructor(deps: FileInputDeps) {
    this.#deps = deps;
    this.config = deps.config;
    this.#discovery = new Discovery(deps.config.paths, deps.config.exclude, (kind) =>
      deps.wake(kind === 'rename'),
    );
  }

  get tailers(): IterableIterator<Tailer> {
    return this.#tailers.values();
  }

  get unreadableCount(): number {
    return this.#unreadable.size;
  }

  /** Whether `path` (from a checkpoint) lives under one of this input's glob bases. */
  covers(path: string): boolean {
    const dir = dirname(path);
    return this.config.paths.some((p) => {
      const base = globBase(p);
      return dir === base || dir.startsWith(`${base}/`);
    });
  }

  async scan(): Promise<void> {
    const found = await this.#discovery.scan();
    const firstScan = this.#scans++ === 0;
    const seen = new Set<string>();
    for (const f of found) {
      const current = [...this.#tailers.values()].find((t) => sameInode(t, f));
      if (current) {
        // Still (or again) matched by the globs, e.g. renamed to access.log.1 under `*.log*`.
        current.path = f.path;
        current.drainingSince = null;
        seen.add(current.id);
        continue;
      }
      const t = await this.#openFound(f, firstScan);
      if (t) seen.add(t.id);
    }
    for (const t of this.#tailers.values()) {
      if (!seen.has(t.id) && t.drainingSince === null) t.drainingSince = Date.now();
      this.#deps.store.update(t.id, { path: t.path });
    }
  }

  /**
   * Finishes files a previous run was reading when they were rotated away: finds each by its
   * fingerprint beside the checkpointed path and reads what is left. Called once after the first scan.
   */
  async adoptRotated(entries: ReadonlyArray<[string, CheckpointEntry]>): Promise<void> {
    for (const [restoredId, entry] of entries) {
      const copy = await findRotatedCopy(entry.path, entry.fingerprint, entry.offset, { dev: -1, ino: -1 });
      if (!copy) {
        this.#deps.store.forget(restoredId);
        continue;
      }
      await copy.fh.close();
      const path = copy.path;
      const t = await this.#open(path, restoredId, entry.offset, true);
      if (t) t.drainingSince = Date.now();
    }
  }

  /** Closes draining tailers that are read to EOF and idle for rotate_wait. */
  async reap(now: number): Promise<void> {
    for (const t of [...this.#tailers.values()]) {
      if (t.drainingSince === null || t.lagBytes > 0) continue;
      if (now - Math.max(t.lastGrowthAt, t.drainingSince) < this.config.rotateWaitMs) continue;
      t.flushPartial();
      await t.close();
      this.#tailers.delete(t.id);
      this.#deps.store.finish(t.id, t.committedOffset);
      this.#deps.onFileEvent({ kind: 'finished', path: t.path, offset: t.committedOffset });
    }
  }

  /** Stops following a file after a read error; the next scan opens it again if it is still there. */
  async drop(t: Tailer, err: Error): Promise<void> {
    await t.close();
    this.#tailers.delete(t.id);
    this.#deps.store.release(t.id);
    this.#deps.onFileEvent({ kind: 'unreadable', path: t.path, error: err.message });
  }

  /** Safe to call twice. */
  async close(): Promise<void> {
    this.#discovery.close();
    for (const t of this.#tailers.values()) await t.close();
    this.#tailers.clear();
  }

  async #openFound(f: FoundFile, firstScan: boolean): Promise<Tailer | null> {
    const restored = this.#deps.store.restored();
    // Same inode first; content equality is checked after opening.
    const byInode = restored.find(([, e]) => e.dev === f.dev && e.ino === f.ino);
    const t = await this.#open(f.path, undefined, 0, false);
    if (!t) return null;
    let resumeFrom: [string, CheckpointEntry] | undefined;
    if (byInode && (await this.#sameContent(t, byInode[1]))) resumeFrom = byInode;
    else {
      resumeFrom = restored.find(
        ([, e]) =>
          e.fingerprint.length >= MIN_CONTENT_MATCH_BYTES &&
          e.fingerprint.length === t.fingerprint.length &&
          e.fingerprint.hash === t.fingerprint.hash,
      );
    }
    let offset = 0;
    if (resumeFrom) offset = Math.min(resumeFrom[1].offset, f.size);
    else if (firstScan && this.config.readFrom === 'tail') offset = f.size;
    if (byInode && !resumeFrom) this.#deps.store.forget(byInode[0]); // inode reused by a new file
    t.seek(offset);
    this.#deps.store.track(t.id, this.#entryOf(t, offset), resumeFrom?.[0]);
    this.#deps.onFileEvent({ kind: 'opened', path: f.path, offset, resumed: resumeFrom !== undefined });
    return t;
  }

  async #sameContent(t: Tailer, e: CheckpointEntry): Promise<boolean> {
    if (e.fingerprint.length === 0) return true;
    if (t.fingerprint.length === e.fingerprint.length) return t.fingerprint.hash === e.fingerprint.hash;
    // The file grew past the old fingerprint's length: compare the same prefix length.
    const fh = await open(t.path, 'r').catch(() => null);
    if (!fh) return false;
    try {
      return await startsWith(fh, e.fingerprint);
    } finally {
      await fh.close();
    }
  }

  async #open(
    path: string,
    replaces: string | undefined,
    offset: number,
    track: boolean,
  ): Promise<Tailer | null> {
    const id = this.#deps.nextId();
    let t: Tailer;
    try {
      t = await Tailer.open({
        id,
        path,
        maxLineBytes: this.config.maxLineBytes,
        events: {
          onLine: (line) => this.#deps.onLine(t, line),
          onTruncated: (tailer, recoveredBytes) =>
            this.#deps.onFileEvent({ kind: 'truncated', path: tailer.path, recoveredBytes }),
          onIdentity: (tailer) => this.#deps.onIdentity(tailer),
        },
      });
    } catch (err) {
      if (!this.#unreadable.has(path)) {
        this.#unreadable.add(path);
        this.#deps.onFileEvent({ kind: 'unreadable', path, error: (err as Error).message });
      }
      return null;
    }
    this.#unreadable.delete(path);
    this.#tailers.set(id, t);
    if (track) {
      t.seek(offset);
      this.#deps.store.track(id, this.#entryOf(t, offset), replaces);
      this.#deps.onFileEvent({ kind: 'opened', path, offset, resumed: true });
    }
    return t;
  }

  #entryOf(t: Tailer, offset: number): CheckpointEntry {
    return { path: t.path, dev: t.dev, ino: t.ino, fingerprint: t.fingerprint, offset };
  }
}
