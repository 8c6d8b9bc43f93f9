/**
 * What pods/attach adds to the exec checks, decided from the pod spec before the upgrade:
 *  - the terminal is the container's, not the request's: kubelet's GetAttach takes `tty` from the
 *    container spec, since a process's terminal cannot change after it started (kubectl already
 *    forces -t on a tty container and drops it on another);
 *  - stdin only reaches a container created with `stdin: true`. containerd silently drops stdin
 *    for such a container (`kubectl attach -i` would then hang, typing into nothing); podbay
 *    refuses it with a BadRequest instead, so the mistake is named.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { badRequest } from '../../errors.js';
import type { StreamFlags } from './exec-session.js';

export function containerSpec(pod: Pod, name: string): Container | undefined {
  const spec = pod.spec;
  return [
    ...(spec?.containers ?? []),
    ...(spec?.initContainers ?? []),
    ...(spec?.ephemeralContainers ?? []),
  ].find((c) => c.name === name) as Container | undefined;
}

/** The session flags of an attach to `container` (already validated to exist in `pod`). */
export function attachStreamFlags(pod: Pod, container: string, requested: StreamFlags): StreamFlags {
  const spec = containerSpec(pod, container);
  if (requested.stdin && spec?.stdin !== true) {
    throw badRequest(
      `cannot attach stdin to container ${container} in pod ${pod.metadata?.name ?? ''}: ` +
        'the container was created without stdin (spec.containers[].stdin: true); attach without -i/--stdin',
    );
  }
  return { ...requested, tty: spec?.tty === true };
}
