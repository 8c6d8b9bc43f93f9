/**
 * Writing responses: JSON objects, Status errors, and the content negotiation kubectl relies on
 * (server-side Tables and PartialObjectMetadata). Protobuf is never served: kubectl's typed
 * clients ask for it first but accept JSON, and a 406 would break them.
 */
import type { ServerResponse } from 'node:http';
import { ApiError, internalError } from '../errors.js';

export type OutputShape = 'object' | 'Table' | 'PartialObjectMetadata';

/** Picks the first acceptable representation from an Accept header, as apiserver's negotiation does. */
export function negotiate(accept: string | undefined): OutputShape {
  if (!accept) return 'object';
  for (const part of accept.split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    const p = new Map(params.map((kv) => kv.split('=').map((s) => s.trim()) as [string, string]));
    const as = p.get('as');
    if (type !== 'application/json' && type !== '*/*' && type !== 'application/*') continue;
    if (!as) return 'object';
    if (
      as === 'Table' &&
      (p.get('g') ?? 'meta.k8s.io') === 'meta.k8s.io' &&
      ['v1', 'v1beta1'].includes(p.get('v') ?? 'v1')
    )
      return 'Table';
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return 'PartialObjectMetadata';
    // An `as=` we do not know: try the next choice.
  }
  return 'object';
}

export function contentTypeFor(shape: OutputShape, list: boolean): string {
  if (shape === 'Table') return 'application/json;as=Table;v=v1;g=meta.k8s.io';
  if (shape === 'PartialObjectMetadata')
    return `application/json;as=${list ? 'PartialObjectMetadataList' : 'PartialObjectMetadata'};v=v1;g=meta.k8s.io`;
  return 'application/json';
}

export function sendJSON(
  res: ServerResponse,
  code: number,
  body: unknown,
  contentType = 'application/json',
): void {
  sendRaw(res, code, typeof body === 'string' ? body : JSON.stringify(body), contentType);
}

/** Sends already-serialised JSON (lists are assembled from cached JSON text). */
export function sendRaw(
  res: ServerResponse,
  code: number,
  json: string,
  contentType = 'application/json',
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const buf = Buffer.from(json);
  res.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': buf.length,
    'Cache-Control': 'no-cache, private',
  });
  res.end(buf);
}

/** Any thrown value becomes a Status; unexpected ones are 500s whose cause is logged, not leaked. */
export function toApiError(e: unknown, log?: (msg: string) => void): ApiError {
  if (e instanceof ApiError) return e;
  log?.(`internal error: ${(e as Error)?.stack ?? String(e)}`);
  return internalError((e as Error)?.message ?? 'unexpected error');
}

export function sendError(res: ServerResponse, e: unknown, log?: (msg: string) => void): void {
  const err = toApiError(e, log);
  sendJSON(res, err.code, err.toStatus());
}
