/**
 * Entry point for request bodies sent as `application/vnd.kubernetes.protobuf` (kubectl's `create`
 * generators and every client-go typed client do, and never fall back to JSON).
 *
 * Contract: returns the object exactly as its JSON form (what kube-apiserver would decode, then serve):
 * apiVersion and kind from the envelope, camelCase fields, only fields present on the wire (minus zero
 * `omitempty` scalars), Time as RFC 3339, IntOrString as number|string, Quantity as its string, bytes as
 * base64. Throws ApiError: 400 for malformed bytes (message names field path and byte offset), 415 for a
 * kind or content encoding podbay cannot decode from protobuf. Never throws anything else for any input.
 */
import { ApiError } from '../errors.js';
import type { KubeObject } from '../types.js';
import { unsupportedProtobufKind } from './decode-error.js';
import { decodeEnvelope } from './envelope.js';
import { kindSchema } from './kinds.js';
import { decodeMessage } from './message-decoder.js';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/**
 * Decodes one protobuf request body. For DeleteOptions the result has no `metadata` (DeleteOptions has
 * none); every other kind gets `metadata: {}` when the wire carried none, as its Go struct would.
 */
export function decodeKubernetesProtobuf(body: Buffer): KubeObject {
  const env = decodeEnvelope(body);
  const schema = kindSchema(env.apiVersion, env.kind);
  if (!schema) throw unsupportedProtobufKind(env.apiVersion, env.kind);
  if (env.contentEncoding !== '') {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request uses content encoding ${JSON.stringify(env.contentEncoding)}, which is not supported`,
    );
  }
  const fields = decodeMessage(body, schema.message, env.rawStart, env.rawEnd, env.kind);
  const object: Record<string, unknown> = { apiVersion: env.apiVersion, kind: env.kind, ...fields };
  if (schema.hasObjectMeta && object.metadata === undefined) object.metadata = {};
  return object as unknown as KubeObject;
}
