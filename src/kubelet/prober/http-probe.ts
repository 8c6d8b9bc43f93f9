/**
 * httpGet probes (pkg/probe/http): GET with kubelet's headers, redirects followed only to the same
 * host (a redirect elsewhere ends the probe with a Warning, which counts as success), at most 10
 * redirects, 200-399 is success, the body is read up to 10 KiB, TLS certificates are not verified.
 * Error texts follow Go's net/http client (`Get "url": dial tcp ...: connect: connection refused`)
 * because they end up in Unhealthy events.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { setLongTimeout } from '../../util/long-timeout.js';
import { MAX_PROBE_OUTPUT_BYTES, PROBE_USER_AGENT, type ProbeRunResult } from './probe-spec.js';

export interface HttpProbeTarget {
  readonly scheme: 'HTTP' | 'HTTPS';
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly headers: readonly { name: string; value: string }[];
  readonly timeoutMs: number;
}

const MAX_REDIRECTS = 10;

export function probeURL(target: Pick<HttpProbeTarget, 'scheme' | 'host' | 'port' | 'path'>): URL {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  const path = target.path === '' ? '' : target.path.startsWith('/') ? target.path : `/${target.path}`;
  return new URL(`${target.scheme.toLowerCase()}://${host}:${target.port}${path}`);
}

export async function runHttpProbe(target: HttpProbeTarget): Promise<ProbeRunResult> {
  const headers: Record<string, string> = {};
  for (const h of target.headers) headers[h.name] = h.value;
  const has = (name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name);
  if (!has('user-agent')) headers['User-Agent'] = PROBE_USER_AGENT;
  if (!has('accept')) headers.Accept = '*/*';
  headers.Connection = 'close';

  const first = probeURL(target);
  const deadline = Date.now() + target.timeoutMs;
  let url = first;
  let method = 'GET';
  for (let redirects = 0; ; redirects++) {
    let response: { status: number; body: string; location: string | undefined };
    try {
      response = await request(url, method, headers, deadline);
    } catch (err) {
      return { outcome: 'Failure', output: `${goMethod(method)} "${url.href}": ${(err as Error).message}` };
    }
    const { status } = response;
    if (
      status >= 300 &&
      status < 400 &&
      response.location !== undefined &&
      [301, 302, 303, 307, 308].includes(status)
    ) {
      const next = new URL(response.location, url);
      if (next.hostname !== first.hostname) {
        // Go's ErrUseLastResponse: the redirect response itself is the result.
        return { outcome: 'Warning', output: `Probe terminated redirects, Response body: ${response.body}` };
      }
      if (redirects + 1 >= MAX_REDIRECTS) {
        return {
          outcome: 'Failure',
          output: `${goMethod(method)} "${next.href}": stopped after ${MAX_REDIRECTS} redirects`,
        };
      }
      if (status === 301 || status === 302 || status === 303) method = 'GET';
      url = next;
      continue;
    }
    if (status >= 200 && status < 400) {
      if (status >= 300)
        return { outcome: 'Warning', output: `Probe terminated redirects, Response body: ${response.body}` };
      return { outcome: 'Success', output: response.body };
    }
    return { outcome: 'Failure', output: `HTTP probe failed with statuscode: ${status}` };
  }
}

const goMethod = (m: string) => m.charAt(0) + m.slice(1).toLowerCase();

function request(
  url: URL,
  method: string,
  headers: Record<string, string>,
  deadline: number,
): Promise<{ status: number; body: string; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      reject(new Error('context deadline exceeded (Client.Timeout exceeded while awaiting headers)'));
      return;
    }
    const lib = url.protocol === 'https:' ? https : http;
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(err);
    };
    const timer = setLongTimeout(
      () => fail(new Error('context deadline exceeded (Client.Timeout exceeded while awaiting headers)')),
      remaining,
    );
    const req = lib.request(
      url,
      { method, headers, agent: false, rejectUnauthorized: false },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size >= MAX_PROBE_OUTPUT_BYTES) return;
          chunks.push(chunk.subarray(0, MAX_PROBE_OUTPUT_BYTES - size));
          size += Math.min(chunk.length, MAX_PROBE_OUTPUT_BYTES - size);
          // A body beyond the limit is truncated, not an error (kubelet logs "Non fatal body truncation").
          if (size >= MAX_PROBE_OUTPUT_BYTES) finish();
        });
        const finish = () => {
          if (settled) return;
          settled = true;
          timer.clear();
          res.destroy();
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            location: res.headers.location,
          });
        };
        res.on('end', finish);
        res.on('error', (err) => fail(err));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      timer.clear();
      fail(new Error(goDialError(err, url)));
    });
    req.end();
  });
}

/** Go's dial error shape for the common cases. */
export function goDialError(err: NodeJS.ErrnoException, url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const host = url.hostname.startsWith('[')
    ? url.hostname
    : url.hostname.includes(':')
      ? `[${url.hostname}]`
      : url.hostname;
  const address = `${host}:${port}`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${address}: connect: connection refused`;
    case 'EHOSTUNREACH':
      return `dial tcp ${address}: connect: no route to host`;
    case 'ENETUNREACH':
      return `dial tcp ${address}: connect: network is unreachable`;
    case 'ECONNRESET':
      return `read tcp ${address}: read: connection reset by peer`;
    default:
      return err.message;
  }
}
