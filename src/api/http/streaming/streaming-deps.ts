/** What every streaming subresource handler is built from; the engine supplies one object. */
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodStreamingBackend } from './backend.js';

export interface StreamingDeps {
  /** Reads the pod from the API (throws the API's NotFound). */
  getPod(namespace: string, name: string): Pod;
  backend: PodStreamingBackend;
  clock: { now(): Date };
  log(msg: string): void;
  /**
   * Safety-net period of log follows (default 1 s, kubelet's logForceCheckPeriod): new bytes, rotation and
   * new files wake a follow through inotify (log-watch.ts); this timer only covers a missed event.
   */
  logPollMs?: number;
}
