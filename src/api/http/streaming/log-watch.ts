/**
 * What wakes a log follow: inotify (fs.watch) on the directory of the attempt's log file. One
 * directory watch sees everything a follow must react to — bytes appended to the live file
 * (IN_MODIFY on a child), the shim's rotation (the live file renamed to `<name>.<suffix>` and a new
 * one created) and a log file that did not exist yet when the follow began — so a line the
 * container writes reaches the follower within milliseconds. A slow timer is kept as a safety net
 * (kubelet's logForceCheckPeriod, 1 s, in pkg/kubelet/kuberuntime/logs/logs.go): it bounds the wait
 * when an event is lost (inotify queue overflow) or no watch could be set up (no directory, no
 * inotify instances left), and it is how a follow notices that the attempt ended without writing.
 *
 * Contract: an event that arrives while nobody waits is latched, so the next `next()` returns at
 * once (no lost wake-up between a drain and the wait). `close` is safe to call twice and releases
 * the inotify watch; the caller must call it (a follow does so in `finally`).
 */
import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Upstream's logForceCheckPeriod: a follow looks at the file and the attempt at least this often. */
export const LOG_FORCE_CHECK_MS = 1000;

/** Why `next` returned: a change in the directory, the safety-net timer, or the client left. */
export type WakeReason = 'event' | 'timeout' | 'aborted';

export class LogFileWatch {
  readonly #prefix: string;
  #watcher: FSWatcher | undefined;
  #pending = false;
  #wake: ((reason: WakeReason) => void) | undefined;

  /** Watches the directory of `logPath`; without a usable watch only the timer wakes `next`. */
  constructor(logPath: string) {
    this.#prefix = basename(logPath);
    try {
      this.#watcher = watch(dirname(logPath), { persistent: false }, (_event, name) => this.#onEvent(name));
      // After an error (the directory was removed) the watch is dead: the timer keeps the follow going.
      this.#watcher.on('error', () => this.close());
    } catch {
      this.#watcher = undefined;
    }
  }

  /** True while an inotify watch backs this object (false: the follow runs on the timer alone). */
  get watching(): boolean {
    return this.#watcher !== undefined;
  }

  /** Other attempts' files share the directory; only this file and its rotated copies matter. */
  #onEvent(name: string | Buffer | null): void {
    if (name !== null && !String(name).startsWith(this.#prefix)) return;
    if (this.#wake) this.#wake('event');
    else this.#pending = true;
  }

  /** Resolves on the next change (or one latched since the last call), after `timeoutMs`, or on abort. */
  next(timeoutMs: number, signal: AbortSignal): Promise<WakeReason> {
    if (signal.aborted) return Promise.resolve('aborted');
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve('event');
    }
    return new Promise<WakeReason>((resolve) => {
      const finish = (reason: WakeReason) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#wake = undefined;
        resolve(reason);
      };
      const onAbort = () => finish('aborted');
      const timer = setTimeout(() => finish('timeout'), timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#wake = finish;
    });
  }

  /** Releases the inotify watch. Safe to call twice; a pending `next` still ends on its timer or abort. */
  close(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
  }
}
