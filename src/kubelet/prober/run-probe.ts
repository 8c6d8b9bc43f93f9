/**
 * One probe run (prober.go runProbe): picks the handler set on the probe, resolves named ports
 * against the container's ports, and targets the pod IP unless httpGet.host says otherwise.
 * Configuration problems throw ProbeError: kubelet reports "<Type> probe errored: ..." and throws
 * the result away rather than counting it as a failure.
 */
import type { Container, Probe } from 'kubernetes-types/core/v1';
import { goQuote } from '../env-fields.js';
import { type ExecRunner, runExecProbe } from './exec-probe.js';
import { runGrpcProbe } from './grpc-probe.js';
import { runHttpProbe } from './http-probe.js';
import type { ProbeRunResult } from './probe-spec.js';
import { runTcpProbe } from './tcp-probe.js';

export class ProbeError extends Error {
  override readonly name = 'ProbeError';
}

export interface ProbeContext {
  readonly container: Container;
  /** Runtime id of the running container (for exec). */
  readonly containerId: string;
  readonly podIP: string;
  readonly exec: ExecRunner;
}

export async function runProbe(probe: Probe, ctx: ProbeContext, timeoutMs: number): Promise<ProbeRunResult> {
  if (probe.exec) return runExecProbe(ctx.exec, ctx.containerId, probe.exec.command ?? [], timeoutMs);
  if (probe.httpGet) {
    const action = probe.httpGet;
    const scheme = (action.scheme ?? 'HTTP').toUpperCase();
    if (scheme !== 'HTTP' && scheme !== 'HTTPS')
      throw new ProbeError(`unsupported HTTP scheme: ${action.scheme}`);
    return runHttpProbe({
      scheme,
      host: action.host || ctx.podIP,
      port: resolvePort(action.port, ctx.container),
      path: action.path ?? '',
      headers: action.httpHeaders ?? [],
      timeoutMs,
    });
  }
  if (probe.tcpSocket) {
    return runTcpProbe(
      probe.tcpSocket.host || ctx.podIP,
      resolvePort(probe.tcpSocket.port, ctx.container),
      timeoutMs,
    );
  }
  if (probe.grpc)
    return runGrpcProbe(
      ctx.podIP,
      resolvePort(probe.grpc.port, ctx.container),
      probe.grpc.service ?? '',
      timeoutMs,
    );
  throw new ProbeError('missing probe handler');
}

/** resolveContainerPort: a number, a named container port, or a number written as a string. */
export function resolvePort(port: number | string | undefined, container: Container): number {
  let value: number;
  if (typeof port === 'number') value = port;
  else if (typeof port === 'string') {
    const named = container.ports?.find((p) => p.name === port);
    if (named) value = named.containerPort;
    else if (/^[+-]?\d+$/.test(port)) value = Number(port);
    // Upstream falls back to strconv.Atoi and reports its error.
    else throw new ProbeError(`strconv.Atoi: parsing ${goQuote(port)}: invalid syntax`);
  } else throw new ProbeError('intOrString had no kind: port is missing');
  if (value > 0 && value < 65536) return value;
  throw new ProbeError(`invalid port number: ${value}`);
}
