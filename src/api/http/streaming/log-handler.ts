/**
 * GET pods/{name}/log: the container's CRI log as `text/plain`, shaped by PodLogOptions
 * (container, follow, previous, tailLines, sinceSeconds/sinceTime, timestamps, limitBytes), with
 * kubelet's messages for containers that have nothing to show yet
 * (pkg/kubelet/kubelet_pods.go validateContainerLogStatus).
 */
import type { ServerResponse } from 'node:http';
import type { Pod } from 'kubernetes-types/core/v1';
import { badRequest, methodNotAllowed } from '../../errors.js';
import { validateContainerName } from '../pod-subresources.js';
import type { SubresourceHandler } from '../resource-handler.js';
import type { ContainerAttempt } from './backend.js';
import type { LogLine } from './cri-log.js';
import { parseLogOptions } from './log-options.js';
import { readContainerLog } from './log-reader.js';
import type { StreamingDeps } from './streaming-deps.js';

/** Which attempt the request reads, or the Status kubelet answers instead. */
async function chooseAttempt(
  deps: StreamingDeps,
  pod: Pod,
  container: string,
  previous: boolean,
): Promise<ContainerAttempt | undefined> {
  const podName = pod.metadata?.name ?? '';
  const resolved = await deps.backend.resolve(pod, container);
  if (!resolved) {
    // No sandbox on this node: a pod no node took has nothing to show (upstream: no location).
    if (!pod.spec?.nodeName) return undefined;
    throw badRequest(
      `container ${JSON.stringify(container)} in pod ${JSON.stringify(podName)} is waiting to start: ${waitingReason(pod, container)}`,
    );
  }
  if (previous) {
    if (!resolved.previous) {
      throw badRequest(
        `previous terminated container ${JSON.stringify(container)} in pod ${JSON.stringify(podName)} not found`,
      );
    }
    return resolved.previous;
  }
  if (resolved.kind === 'waiting') {
    throw badRequest(
      `container ${JSON.stringify(container)} in pod ${JSON.stringify(podName)} is waiting to start: ${resolved.reason}`,
    );
  }
  return resolved.current;
}

/** The waiting reason from the pod's status, as kubelet reports it before the runtime knows the container. */
function waitingReason(pod: Pod, container: string): string {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return statuses.find((s) => s.name === container)?.state?.waiting?.reason ?? 'ContainerCreating';
}

/** Writes lines to the response, applying timestamps and limitBytes; false once nothing more may be written. */
function responseSink(res: ServerResponse, timestamps: boolean, limitBytes: number | undefined) {
  let budget = limitBytes ?? Number.POSITIVE_INFINITY;
  return async (line: LogLine): Promise<boolean> => {
    if (res.destroyed) return false;
    let bytes = timestamps ? Buffer.concat([Buffer.from(`${line.timestamp} `), line.content]) : line.content;
    if (bytes.length > budget) bytes = bytes.subarray(0, budget);
    budget -= bytes.length;
    if (!res.write(bytes)) {
      await new Promise<void>((resolve) => {
        res.once('drain', resolve);
        res.once('close', resolve);
      });
    }
    return budget > 0 && !res.destroyed;
  };
}

export function podLogHandler(deps: StreamingDeps): SubresourceHandler {
  return async (req, res, r, url) => {
    if (req.method !== 'GET')
      throw methodNotAllowed('the server does not allow this method on the requested resource');
    const pod = deps.getPod(r.namespace ?? '', r.name ?? '');
    const opts = parseLogOptions(url.searchParams, r.name ?? '', deps.clock.now());
    const container = validateContainerName(pod, opts.container);
    const attempt = await chooseAttempt(deps, pod, container, opts.previous);
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    if (!attempt) {
      res.end();
      return;
    }
    res.flushHeaders(); // a follow may wait long for its first line; kubectl needs the status now
    const abort = new AbortController();
    res.once('close', () => abort.abort());
    try {
      await readContainerLog(
        attempt,
        {
          follow: opts.follow,
          ...(opts.tailLines !== undefined ? { tailLines: opts.tailLines } : {}),
          ...(opts.sinceMs !== undefined ? { sinceMs: opts.sinceMs } : {}),
          ...(deps.logPollMs ? { pollMs: deps.logPollMs } : {}),
          signal: abort.signal,
        },
        responseSink(res, opts.timestamps, opts.limitBytes),
      );
    } catch (e) {
      // Headers are out: the only way left to report is the log of the server.
      deps.log(`pods/log ${r.namespace}/${r.name}/${container}: ${(e as Error).message}`);
    }
    res.end();
  };
}
