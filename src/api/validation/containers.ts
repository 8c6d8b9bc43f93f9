/**
 * The container lists of a pod spec, as upstream's validateContainers / validateInitContainers:
 * names unique across regular and init containers, probes and lifecycle only where they can
 * run (regular containers and native sidecars, i.e. init containers with restartPolicy Always),
 * and host ports unique.
 */
import type { Container } from 'kubernetes-types/core/v1';
import { validateContainerCommon } from './container.js';
import { duplicate, type FieldError, forbidden, notSupported, required } from './field-extra.js';
import { child, index } from './path.js';
import { validateLifecycle, validateProbe } from './probes.js';

const INIT_ONLY_MSG = 'may not be set for init containers without restartPolicy=Always';

function validateProbesAndLifecycle(c: Container, gracePeriod: number | undefined, p: string): FieldError[] {
  const errs: FieldError[] = [];
  if (c.lifecycle) errs.push(...validateLifecycle(c.lifecycle, gracePeriod, child(p, 'lifecycle')));
  errs.push(...validateProbe(c.livenessProbe, 'liveness', gracePeriod, child(p, 'livenessProbe')));
  errs.push(...validateProbe(c.readinessProbe, 'readiness', gracePeriod, child(p, 'readinessProbe')));
  errs.push(...validateProbe(c.startupProbe, 'startup', gracePeriod, child(p, 'startupProbe')));
  return errs;
}

/** Host ports collide per protocol/hostIP/port (AccumulateUniqueHostPorts). */
function checkHostPortConflicts(
  containers: Container[],
  path: string,
  seen = new Set<string>(),
): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((c, ci) => {
    (c.ports ?? []).forEach((port, pi) => {
      if (!port.hostPort) return;
      const id = `${port.protocol ?? ''}/${port.hostIP ?? ''}/${port.hostPort}`;
      if (seen.has(id))
        errs.push(duplicate(child(index(child(index(path, ci), 'ports'), pi), 'hostPort'), id));
      else seen.add(id);
    });
  });
  return errs;
}

export function validateContainers(
  containers: Container[] | undefined,
  volumes: ReadonlySet<string>,
  gracePeriod: number | undefined,
  path: string,
): FieldError[] {
  const list = containers ?? [];
  if (list.length === 0) return [required(path, '')];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((c, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(c, volumes, p));
    if (names.has(c.name)) errs.push(duplicate(child(p, 'name'), c.name));
    else names.add(c.name);
    errs.push(...validateProbesAndLifecycle(c, gracePeriod, p));
    if (c.restartPolicy !== undefined)
      errs.push(forbidden(child(p, 'restartPolicy'), 'may not be set for non-init containers'));
  });
  errs.push(...checkHostPortConflicts(list, path));
  return errs;
}

export function validateInitContainers(
  inits: Container[] | undefined,
  regular: Container[] | undefined,
  volumes: ReadonlySet<string>,
  gracePeriod: number | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set((regular ?? []).map((c) => c.name));
  (inits ?? []).forEach((c, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(c, volumes, p));
    let sidecar = false;
    if (c.restartPolicy !== undefined) {
      // Native sidecars: the only restartPolicy an init container may have is Always.
      if (c.restartPolicy === 'Always') sidecar = true;
      else errs.push(notSupported(child(p, 'restartPolicy'), c.restartPolicy, ['Always']));
    }
    if (names.has(c.name)) errs.push(duplicate(child(p, 'name'), c.name));
    else if (c.name) names.add(c.name);
    // Init containers run one by one, so their host ports only collide within one container.
    errs.push(...checkHostPortConflicts([c], path));
    if (sidecar) {
      errs.push(...validateProbesAndLifecycle(c, gracePeriod, p));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        if (c[f]) errs.push(forbidden(child(p, f), INIT_ONLY_MSG));
      }
    }
  });
  return errs;
}
