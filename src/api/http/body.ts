/**
 * Request bodies: read with a size limit, then decoded by Content-Type. Every failure is a
 * 4xx Status naming what is wrong and where (byte offset, line and column), never a crash.
 */
import type { IncomingMessage } from 'node:http';
import YAML from 'yaml';
import { badRequest, tooLarge, unsupportedMediaType } from '../errors.js';
import { decodeKubernetesProtobuf } from '../protobuf/decode.js';

/** Upstream's --max-request-body-bytes default: 3 MiB. */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_REQUEST_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      // Refuse before reading: the client may still be sending; drain what arrives.
      req.resume();
      reject(tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) {
        failed = true;
        reject(badRequest(`error reading request body: ${e.message}`));
      }
    });
  });
}

/** The media type without parameters, lower-cased: `application/json`. */
export const mediaType = (contentType: string | undefined): string =>
  (contentType ?? '').split(';')[0]!.trim().toLowerCase();

/** Decodes JSON with an error that names the byte offset, as a client needs to find it. */
export function parseJSON(body: Buffer, what = 'request body'): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg)?.[1];
    throw badRequest(
      `couldn't decode ${what} as JSON${pos !== undefined ? ` at byte ${pos}` : ''}: ${msg.replace(/^Unexpected/, 'unexpected')}`,
    );
  }
}

export function parseYAML(body: Buffer): unknown {
  const docs = YAML.parseAllDocuments(body.toString('utf8'), { prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const nonEmpty = list.filter((d) => d.contents !== null);
  for (const d of list) {
    if (d.errors.length) {
      const err = d.errors[0]!;
      const where = err.linePos?.[0] ? ` at line ${err.linePos[0].line} column ${err.linePos[0].col}` : '';
      throw badRequest(`couldn't decode request body as YAML${where}: ${err.message.split('\n')[0]}`);
    }
  }
  if (nonEmpty.length > 1)
    throw badRequest("couldn't decode request body as YAML: expected one document, found several");
  return nonEmpty[0]?.toJS({ maxAliasCount: 100 }) ?? null;
}

/** The input serializers a body may be written in. */
export type BodyFormat = 'json' | 'yaml' | 'protobuf';

/**
 * The serializer for a body's Content-Type, as upstream's NegotiateInputSerializer picks it: none
 * means JSON (the first supported type); an unsupported type is a 415 listing the accepted ones.
 * Also takes application/x-yaml and text/yaml as YAML, which upstream refuses.
 */
export function inputFormat(contentType: string | undefined): BodyFormat {
  switch (mediaType(contentType)) {
    case '':
    case 'application/json':
      return 'json';
    case 'application/yaml':
    case 'application/x-yaml':
    case 'text/yaml':
      return 'yaml';
    case 'application/vnd.kubernetes.protobuf':
      return 'protobuf';
    default:
      throw unsupportedMediaType();
  }
}

/** Decodes an object body (POST, PUT) by Content-Type: JSON, YAML or Kubernetes protobuf. */
export function decodeObjectBody(body: Buffer, contentType: string | undefined): unknown {
  const format = inputFormat(contentType);
  if (body.length === 0) throw badRequest('the request body is empty: an object is required');
  if (format === 'json') return parseJSON(body);
  if (format === 'yaml') return parseYAML(body);
  return decodeKubernetesProtobuf(body);
}
