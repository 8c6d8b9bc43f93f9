/**
 * Probe and lifecycle-handler rules, as upstream's validateProbe / validateHandler: exactly one
 * handler, non-negative timings, liveness/startup successThreshold 1.
 */
import type { Lifecycle, LifecycleHandler, Probe } from 'kubernetes-types/core/v1';
import { type FieldError, forbidden, invalidValue, notSupported, required } from './field.js';
import { validateNonnegativeField } from './objectmeta.js';
import { child } from './path.js';
import { isHTTPHeaderName, isValidPortName, isValidPortNum } from './strings.js';

type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** Upstream's ValidatePortNumOrName: an absent port is IntOrString zero, hence out of range. */
export function validatePortNumOrName(port: number | string | undefined, path: string): FieldError[] {
  if (typeof port === 'string') return isValidPortName(port).map((msg) => invalidValue(path, port, msg));
  const n = port ?? 0;
  return isValidPortNum(n).map((msg) => invalidValue(path, n, msg));
}

/** The handler fields, in upstream's order, with the checks each one gets. */
interface AnyHandler {
  exec?: { command?: string[] };
  httpGet?: { path?: string; port?: number | string; scheme?: string; httpHeaders?: { name: string }[] };
  tcpSocket?: { port?: number | string };
  grpc?: { port?: number };
  sleep?: { seconds?: number };
}

function validateHandler(h: AnyHandler, gracePeriod: number | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  const one = (name: keyof AnyHandler, check: () => FieldError[]): void => {
    if (h[name] === undefined || h[name] === null) return;
    if (count > 0) {
      errs.push(forbidden(child(path, name), 'may not specify more than 1 handler type'));
      return;
    }
    count++;
    errs.push(...check());
  };
  one('exec', () =>
    (h.exec!.command ?? []).length === 0 ? [required(child(path, 'exec', 'command'), '')] : [],
  );
  one('httpGet', () => {
    const g = h.httpGet!;
    const p = child(path, 'httpGet');
    const out: FieldError[] = [];
    if (!g.path) out.push(required(child(p, 'path'), ''));
    out.push(...validatePortNumOrName(g.port, child(p, 'port')));
    if (g.scheme !== 'HTTP' && g.scheme !== 'HTTPS')
      out.push(notSupported(child(p, 'scheme'), g.scheme ?? '', ['HTTP', 'HTTPS']));
    for (const header of g.httpHeaders ?? []) {
      for (const msg of isHTTPHeaderName(header.name))
        out.push(invalidValue(child(p, 'httpHeaders'), header.name, msg));
    }
    return out;
  });
  one('tcpSocket', () => validatePortNumOrName(h.tcpSocket!.port, child(path, 'tcpSocket', 'port')));
  one('grpc', () => validatePortNumOrName(h.grpc!.port ?? 0, child(path, 'grpc', 'port')));
  one('sleep', () => {
    const seconds = h.sleep!.seconds ?? 0;
    // 1.32 has PodLifecycleSleepActionAllowZero off by default, so zero is refused.
    if (gracePeriod !== undefined && (seconds <= 0 || seconds > gracePeriod)) {
      return [
        invalidValue(
          child(path, 'sleep'),
          seconds,
          `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`,
        ),
      ];
    }
    return [];
  });
  if (count === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

/** One probe; `path` is e.g. `spec.containers[0].livenessProbe`. Absent probes are valid. */
export function validateProbe(
  probe: Probe | undefined,
  kind: ProbeKind,
  gracePeriod: number | undefined,
  path: string,
): FieldError[] {
  if (!probe) return [];
  // Probes carry no sleep handler; pass only the probe handler fields.
  const errs = validateHandler(
    { exec: probe.exec, httpGet: probe.httpGet, tcpSocket: probe.tcpSocket, grpc: probe.grpc },
    gracePeriod,
    path,
  );
  for (const f of [
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
  ] as const) {
    errs.push(...validateNonnegativeField(probe[f], child(path, f)));
  }
  if (probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds <= 0) {
    errs.push(
      invalidValue(
        child(path, 'terminationGracePeriodSeconds'),
        probe.terminationGracePeriodSeconds,
        'must be greater than 0',
      ),
    );
  }
  if (kind === 'readiness' && probe.terminationGracePeriodSeconds !== undefined) {
    errs.push(
      invalidValue(
        child(path, 'terminationGracePeriodSeconds'),
        probe.terminationGracePeriodSeconds,
        'must not be set for readinessProbes',
      ),
    );
  }
  if (kind !== 'readiness' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
    errs.push(invalidValue(child(path, 'successThreshold'), probe.successThreshold, 'must be 1'));
  }
  return errs;
}

export function validateLifecycle(
  lifecycle: Lifecycle,
  gracePeriod: number | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const handler = (h: LifecycleHandler): AnyHandler => h as AnyHandler;
  if (lifecycle.postStart)
    errs.push(...validateHandler(handler(lifecycle.postStart), gracePeriod, child(path, 'postStart')));
  if (lifecycle.preStop)
    errs.push(...validateHandler(handler(lifecycle.preStop), gracePeriod, child(path, 'preStop')));
  return errs;
}
