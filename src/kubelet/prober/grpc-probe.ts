/**
 * grpc probes (pkg/probe/grpc): one grpc.health.v1.Health/Check call over plaintext HTTP/2 to the
 * pod IP, with kubelet's user agent; SERVING is success. Spoken directly over node:http2: the
 * call is a single unary request (5-byte gRPC frame around a one-field protobuf), so a gRPC
 * library would add weight without adding correctness. Messages match upstream's.
 */
import http2 from 'node:http2';
import { setLongTimeout } from '../../util/long-timeout.js';
import { PROBE_USER_AGENT, type ProbeRunResult } from './probe-spec.js';

const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const;
const GRPC_UNIMPLEMENTED = 12;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_MAX_BACKOFF_MS = 120_000;

export async function runGrpcProbe(
  host: string,
  port: number,
  service: string,
  timeoutMs: number,
): Promise<ProbeRunResult> {
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const timeout = goSeconds(timeoutMs);
  const deadline = Date.now() + timeoutMs;
  let session: http2.ClientHttp2Session | undefined;
  try {
    session = await connectBlocking(address, deadline);
  } catch (err) {
    if ((err as Error).message === 'deadline') {
      return {
        outcome: 'Failure',
        output: `timeout: failed to connect service "${address}" within ${timeout}: context deadline exceeded`,
      };
    }
    return {
      outcome: 'Failure',
      output: `error: failed to connect service at "${address}": ${(err as Error).message}`,
    };
  }
  try {
    const reply = await check(session, service, deadline);
    if (reply.grpcStatus !== 0) {
      if (reply.grpcStatus === GRPC_UNIMPLEMENTED) {
        return {
          outcome: 'Failure',
          output: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${reply.grpcMessage}`,
        };
      }
      if (reply.grpcStatus === GRPC_DEADLINE_EXCEEDED) {
        return { outcome: 'Failure', output: `timeout: health rpc did not complete within ${timeout}` };
      }
      return {
        outcome: 'Failure',
        output: `error: health rpc probe failed: rpc error: code = ${grpcCodeName(reply.grpcStatus)} desc = ${reply.grpcMessage}`,
      };
    }
    const status = SERVING_STATUS[reply.servingStatus] ?? String(reply.servingStatus);
    if (status !== 'SERVING')
      return { outcome: 'Failure', output: `service unhealthy (responded with "${status}")` };
    return { outcome: 'Success', output: 'service healthy' };
  } catch (err) {
    if ((err as Error).message === 'deadline') {
      return { outcome: 'Failure', output: `timeout: health rpc did not complete within ${timeout}` };
    }
    return { outcome: 'Failure', output: `error: health rpc probe failed: ${(err as Error).message}` };
  } finally {
    session.destroy();
  }
}

/**
 * grpc.WithBlock: transient dial failures (refused, unreachable) are retried with gRPC's
 * connection back-off (1 s, ×1.6, at most 120 s: backoff.DefaultConfig) until the deadline, so a
 * closed port ends in the timeout message after the full timeoutSeconds, as upstream's probe does.
 */
async function connectBlocking(address: string, deadline: number): Promise<http2.ClientHttp2Session> {
  let backoffMs = 1000;
  for (;;) {
    try {
      return await connect(address, deadline);
    } catch (err) {
      if ((err as Error).message === 'deadline') throw err;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error('deadline');
      await new Promise((resolve) => setTimeout(resolve, Math.min(backoffMs, remaining)));
      backoffMs = Math.min(backoffMs * 1.6, GRPC_MAX_BACKOFF_MS);
    }
  }
}

function connect(address: string, deadline: number): Promise<http2.ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://${address}`);
    const timer = setLongTimeout(
      () => {
        session.destroy();
        reject(new Error('deadline'));
      },
      Math.max(0, deadline - Date.now()),
    );
    session.once('connect', () => {
      timer.clear();
      resolve(session);
    });
    session.once('error', (err) => {
      timer.clear();
      session.destroy();
      reject(err);
    });
  });
}

/**
 * The grpc-timeout header: at most 8 digits and a unit, the finest unit that fits, rounded up (grpc-go's
 * encodeTimeout). A plain millisecond count would exceed 8 digits past ~27 hours of timeoutSeconds.
 */
export function encodeGrpcTimeout(ms: number): string {
  const MAX = 99_999_999;
  if (!(ms > 0)) return '0n';
  const units: [number, string][] = [
    [1e-6, 'n'],
    [1e-3, 'u'],
    [1, 'm'],
    [1e3, 'S'],
    [60e3, 'M'],
  ];
  for (const [unitMs, name] of units) {
    const n = Math.ceil(ms / unitMs);
    if (n <= MAX) return `${n}${name}`;
  }
  return `${Math.ceil(ms / 3_600_000)}H`;
}

interface CheckReply {
  grpcStatus: number;
  grpcMessage: string;
  servingStatus: number;
}

function check(session: http2.ClientHttp2Session, service: string, deadline: number): Promise<CheckReply> {
  return new Promise((resolve, reject) => {
    const remaining = Math.max(1, deadline - Date.now());
    const stream = session.request({
      ':method': 'POST',
      ':path': '/grpc.health.v1.Health/Check',
      'content-type': 'application/grpc',
      te: 'trailers',
      'user-agent': PROBE_USER_AGENT,
      'grpc-timeout': encodeGrpcTimeout(remaining),
    });
    const timer = setLongTimeout(() => {
      stream.close(http2.constants.NGHTTP2_CANCEL);
      reject(new Error('deadline'));
    }, remaining);
    const chunks: Buffer[] = [];
    let headers: http2.IncomingHttpHeaders = {};
    stream.on('response', (h) => {
      headers = h;
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    let trailers: http2.IncomingHttpHeaders = {};
    stream.on('trailers', (t) => {
      trailers = t;
    });
    stream.on('error', (err) => {
      timer.clear();
      reject(err);
    });
    stream.on('end', () => {
      timer.clear();
      // Trailers-only responses carry grpc-status in the headers.
      const status = trailers['grpc-status'] ?? headers['grpc-status'];
      const message = trailers['grpc-message'] ?? headers['grpc-message'];
      const grpcStatus = status === undefined ? 2 : Number(status);
      const grpcMessage = message === undefined ? '' : decodeURIComponent(String(message));
      try {
        resolve({
          grpcStatus,
          grpcMessage,
          servingStatus: grpcStatus === 0 ? decodeServingStatus(Buffer.concat(chunks)) : 0,
        });
      } catch (err) {
        reject(err);
      }
    });
    stream.end(encodeCheckRequest(service));
  });
}

/** HealthCheckRequest{service = 1 (string)} in a gRPC length-prefixed frame. */
export function encodeCheckRequest(service: string): Buffer {
  const name = Buffer.from(service, 'utf8');
  const message =
    name.length === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x0a]), varint(name.length), name]);
  const frame = Buffer.alloc(5);
  frame.writeUInt32BE(message.length, 1);
  return Buffer.concat([frame, message]);
}

/** HealthCheckResponse{status = 1 (enum)}; absent field = UNKNOWN (0). Unknown fields skipped. */
export function decodeServingStatus(body: Buffer): number {
  if (body.length < 5) throw new Error('rpc error: code = Internal desc = short gRPC frame');
  if (body[0] !== 0)
    throw new Error('rpc error: code = Internal desc = compressed gRPC frames are not supported');
  const length = body.readUInt32BE(1);
  const message = body.subarray(5, 5 + length);
  let offset = 0;
  let status = 0;
  while (offset < message.length) {
    const [tag, afterTag] = readVarint(message, offset);
    const field = tag >> 3;
    const wire = tag & 7;
    if (wire === 0) {
      const [value, next] = readVarint(message, afterTag);
      if (field === 1) status = value;
      offset = next;
    } else if (wire === 2) {
      const [len, next] = readVarint(message, afterTag);
      offset = next + len;
    } else if (wire === 5) offset = afterTag + 4;
    else if (wire === 1) offset = afterTag + 8;
    else throw new Error(`rpc error: code = Internal desc = bad wire type ${wire} at byte ${offset}`);
  }
  return status;
}

function varint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

function readVarint(buf: Buffer, start: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (let i = start; i < buf.length && shift < 35; i++) {
    const byte = buf[i] as number;
    result |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result >>> 0, i + 1];
    shift += 7;
  }
  throw new Error(`rpc error: code = Internal desc = truncated varint at byte ${start}`);
}

const CODE_NAMES = [
  'OK',
  'Canceled',
  'Unknown',
  'InvalidArgument',
  'DeadlineExceeded',
  'NotFound',
  'AlreadyExists',
  'PermissionDenied',
  'ResourceExhausted',
  'FailedPrecondition',
  'Aborted',
  'OutOfRange',
  'Unimplemented',
  'Internal',
  'Unavailable',
  'DataLoss',
  'Unauthenticated',
];
function grpcCodeName(code: number): string {
  return CODE_NAMES[code] ?? `Code(${code})`;
}

/** Go's Duration.String for whole seconds (probe timeouts are whole seconds). */
function goSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
