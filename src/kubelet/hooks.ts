/**
 * Container lifecycle hooks (pkg/kubelet/lifecycle/handlers.go HandlerRunner): exec runs in the
 * container through the runtime, httpGet goes to the pod IP (or `host`), sleep waits. A hook
 * returns the failure text kubelet puts into its events, or undefined on success:
 *  - postStart failure → FailedPostStartHook event, the container is killed (restart per policy);
 *  - preStop failure   → FailedPreStopHook event, termination carries on.
 */
import type { Container, LifecycleHandler } from 'kubernetes-types/core/v1';
import type { StreamingRuntime } from '../runtime/types.js';
import { sleep } from '../util/long-timeout.js';
import { runHttpProbe } from './prober/http-probe.js';

export interface HookTarget {
  readonly containerId: string;
  readonly container: Container;
  readonly podIP: string;
  readonly runtime: Pick<StreamingRuntime, 'execSync'>;
  /** Seconds the hook may take (the grace period for preStop). */
  readonly timeoutSeconds: number;
  /** Milliseconds per second; tests may shrink it. */
  readonly secondMs?: number;
}

/** Runs one handler; resolves the failure message, or undefined when it succeeded. */
export async function runHook(handler: LifecycleHandler, t: HookTarget): Promise<string | undefined> {
  const secondMs = t.secondMs ?? 1000;
  if (handler.exec) {
    const cmd = handler.exec.command ?? [];
    try {
      const r = await t.runtime.execSync(t.containerId, cmd, Math.max(1, t.timeoutSeconds));
      if (r.exitCode === 0) return undefined;
      const out = Buffer.concat([r.stdout, r.stderr]).toString('utf8');
      return `Exec lifecycle hook (${JSON.stringify(cmd).replaceAll(',', ' ')}) for Container "${t.container.name}" failed - error: command '${cmd.join(' ')}' exited with ${r.exitCode}: ${out}, message: "${out}"`;
    } catch (err) {
      return `Exec lifecycle hook (${JSON.stringify(cmd).replaceAll(',', ' ')}) for Container "${t.container.name}" failed - error: ${(err as Error).message}, message: ""`;
    }
  }
  if (handler.httpGet) {
    const g = handler.httpGet;
    const port = resolvePort(g.port, t.container);
    const result = await runHttpProbe({
      scheme: g.scheme === 'HTTPS' ? 'HTTPS' : 'HTTP',
      host: g.host || t.podIP,
      port,
      path: g.path ?? '',
      headers: (g.httpHeaders ?? []).map((h) => ({ name: h.name, value: h.value })),
      timeoutMs: Math.max(1, t.timeoutSeconds) * secondMs,
    });
    if (result.outcome === 'Success' || result.outcome === 'Warning') return undefined;
    return `HTTP lifecycle hook (${g.path ?? ''}) for Container "${t.container.name}" failed - error: ${result.output}`;
  }
  if (handler.sleep) {
    await sleep(Math.min(handler.sleep?.seconds ?? 0, t.timeoutSeconds) * secondMs);
    return undefined;
  }
  return undefined;
}

/** A named port is looked up among the container's ports (resolvePort in handlers.go). */
export function resolvePort(port: number | string, container: Container): number {
  if (typeof port === 'number') return port;
  const n = Number(port);
  if (Number.isInteger(n) && n > 0) return n;
  const found = (container.ports ?? []).find((p) => p.name === port);
  if (!found) throw new Error(`couldn't find port: ${port} in ${container.name}`);
  return found.containerPort;
}
