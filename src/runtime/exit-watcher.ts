/**
 * Container exit events (CRI's GetContainerEvents, what upstream's evented PLEG consumes): the
 * shim writes `exit.json` into the container's directory when the container exited and its
 * output was drained, so an inotify watch on that directory (fs.watch) tells the kubelet at
 * once, instead of at its next relist. Without listeners nothing is watched. Events are hints:
 * the kubelet still relists to learn the state, and its periodic relist covers any event lost
 * (a watch set up after the file appeared is caught by checking for the file right away).
 */
import { existsSync, type FSWatcher, watch } from 'node:fs';
import { join } from 'node:path';

export class ContainerExitWatcher {
  readonly #listeners = new Set<(containerId: string) => void>();
  readonly #watchers = new Map<string, FSWatcher>();

  /** Calls `onExit(id)` when a watched container exits; returns the unsubscribe function. */
  subscribe(onExit: (containerId: string) => void): () => void {
    this.#listeners.add(onExit);
    return () => {
      this.#listeners.delete(onExit);
      if (this.#listeners.size === 0) for (const id of [...this.#watchers.keys()]) this.unwatch(id);
    };
  }

  /** Watches a running container's directory (idempotent; a no-op without listeners). */
  watch(id: string, dir: string): void {
    if (this.#listeners.size === 0 || this.#watchers.has(id)) return;
    let w: FSWatcher;
    try {
      w = watch(dir, { persistent: false }, (_event, file) => {
        if (file === 'exit.json') this.#exited(id);
        else if (!existsSync(dir)) this.unwatch(id); // removed under us: not an exit
      });
    } catch {
      return; // the directory is gone: the container was removed, nothing to report
    }
    // A watch that fails (its directory removed) ends quietly: that is not an exit to report.
    w.on('error', () => this.unwatch(id));
    this.#watchers.set(id, w);
    if (existsSync(join(dir, 'exit.json'))) this.#exited(id);
  }

  unwatch(id: string): void {
    this.#watchers.get(id)?.close();
    this.#watchers.delete(id);
  }

  /** Containers watched now (for tests). */
  get size(): number {
    return this.#watchers.size;
  }

  #exited(id: string): void {
    if (!this.#watchers.has(id)) return;
    this.unwatch(id);
    for (const l of this.#listeners) l(id);
  }
}
