/**
 * What the streaming subresources (pods/log, exec, attach, portforward) need from the node agent.
 * The kubelet implements `PodStreamingBackend`: it alone knows which runtime container serves a
 * pod's container and which attempt came before. The handlers here never touch the runtime's
 * records; they ask these narrow questions and stream what they are given.
 */

import type { Duplex } from 'node:stream';
import type { Pod } from 'kubernetes-types/core/v1';
import type { ExecOptions, ExecSession } from '../../../runtime/types.js';

/** One attempt of a container, as kubelet's container status names it. */
export interface ContainerAttempt {
  /** Absolute path of the attempt's live CRI log file; rotated files sit beside it as `<path>.<suffix>`. */
  logPath: string;
  /** True while the attempt's process runs; a follow stops once this turns false and the file is drained. */
  running(): Promise<boolean>;
}

/** The answer for a container that has a current attempt. */
export interface ResolvedContainer {
  kind: 'container';
  current: ContainerAttempt;
  /** The last terminated attempt (`--previous`), if any. */
  previous?: ContainerAttempt;
  /** Starts a process in the container (exec). Rejects through `exitCode` when it is not running. */
  exec(options: ExecOptions): ExecSession;
  /**
   * Attaches to the container's main process (attach). Optional: a backend that cannot attach
   * leaves it out and the handler answers with upstream's BadRequest.
   */
  attach?(options: Omit<ExecOptions, 'cmd'>): ExecSession;
}

/** The container has no attempt yet: kubelet's `is waiting to start: <reason>`. */
export interface WaitingContainer {
  kind: 'waiting';
  /** The waiting reason shown in container status (ContainerCreating, PodInitializing, ImagePullBackOff, ...). */
  reason: string;
  /** The last terminated attempt, for `--previous` on a container that is restarting. */
  previous?: ContainerAttempt;
}

export type ContainerResolution = ResolvedContainer | WaitingContainer;

export interface PodStreamingBackend {
  /**
   * Maps a pod (already read from the API, container name already validated) to its runtime
   * state on this node, or undefined when this node runs no sandbox for it.
   */
  resolve(pod: Pod, container: string): Promise<ContainerResolution | undefined>;
  /** A byte stream to 127.0.0.1:port in the pod's network namespace; rejects when the sandbox is gone. */
  portForward(pod: Pod, port: number): Promise<Duplex>;
}
