/**
 * A TokenRequest sent as `application/vnd.kubernetes.protobuf` (kubectl create token does, through
 * client-go's typed client, and never falls back to JSON), decoded to its JSON form. The shared
 * protobuf decoder (api/protobuf) has no authentication.k8s.io tables, so the three small messages
 * of k8s.io/api/authentication/v1/generated.proto are read here over its wire primitives; metadata
 * goes through the shared decoder's ObjectMeta.
 *
 *   TokenRequest         1: metadata (ObjectMeta)  2: spec  3: status (ignored: the server sets it)
 *   TokenRequestSpec     1: audiences (repeated string)  3: boundObjectRef  4: expirationSeconds (int64)
 *   BoundObjectReference 1: kind  2: apiVersion  3: name  4: uid
 *
 * Throws ApiError: 400 naming the field path and byte for malformed bytes, 415 for another kind.
 */
import type { BoundObjectReference, TokenRequest } from 'kubernetes-types/authentication/v1';
import { ApiError } from '../../errors.js';
import { malformedBody, unsupportedProtobufKind } from '../../protobuf/decode-error.js';
import { decodeEnvelope } from '../../protobuf/envelope.js';
import { decodeMessage } from '../../protobuf/message-decoder.js';
import { type Tag, WireFormatError, WireReader, WireType } from '../../protobuf/wire-reader.js';
import { TOKEN_REQUEST_API_VERSION } from './token-request.js';

/** Unknown fields may nest groups; the shared decoder bounds them the same way. */
const SKIP_DEPTH = 32;

class FieldError extends Error {
  constructor(
    readonly path: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

function expectWireType(tag: Tag, want: number, path: string): void {
  if (tag.wireType !== want) {
    throw new FieldError(path, tag.offset, `wire type ${tag.wireType} does not match the field's type`);
  }
}

function string(r: WireReader, tag: Tag, end: number, path: string): string {
  expectWireType(tag, WireType.lengthDelimited, path);
  const s = r.readLengthDelimited(end);
  return r.decodeUtf8(s.start, s.end);
}

function boundObjectRef(r: WireReader, end: number): BoundObjectReference {
  const names = ['', 'kind', 'apiVersion', 'name', 'uid'] as const;
  const ref: Record<string, string> = {};
  while (r.pos < end) {
    const tag = r.readTag(end);
    const field = names[tag.fieldNumber];
    if (field) ref[field] = string(r, tag, end, `spec.boundObjectRef.${field}`);
    else r.skip(tag, end, SKIP_DEPTH);
  }
  return ref as BoundObjectReference;
}

function spec(r: WireReader, end: number): TokenRequest['spec'] {
  const out: Partial<TokenRequest['spec']> = {};
  while (r.pos < end) {
    const tag = r.readTag(end);
    if (tag.fieldNumber === 1) {
      const audience = string(r, tag, end, `spec.audiences[${out.audiences?.length ?? 0}]`);
      out.audiences = [...(out.audiences ?? []), audience];
    } else if (tag.fieldNumber === 3) {
      expectWireType(tag, WireType.lengthDelimited, 'spec.boundObjectRef');
      const s = r.readLengthDelimited(end);
      r.pos = s.start; // readLengthDelimited steps over the payload; read into it instead
      out.boundObjectRef = boundObjectRef(r, s.end);
    } else if (tag.fieldNumber === 4) {
      expectWireType(tag, WireType.varint, 'spec.expirationSeconds');
      // int64 on the wire is two's complement: a negative number is 2^64 - |n|.
      const raw = BigInt.asIntN(64, r.readVarint(end));
      if (raw > BigInt(Number.MAX_SAFE_INTEGER) || raw < BigInt(Number.MIN_SAFE_INTEGER))
        throw new FieldError('spec.expirationSeconds', tag.offset, `${raw} is out of range`);
      out.expirationSeconds = Number(raw);
    } else {
      r.skip(tag, end, SKIP_DEPTH);
    }
  }
  return out as TokenRequest['spec'];
}

export function decodeTokenRequestProtobuf(body: Buffer): TokenRequest {
  const env = decodeEnvelope(body);
  if (env.apiVersion !== TOKEN_REQUEST_API_VERSION || env.kind !== 'TokenRequest')
    throw unsupportedProtobufKind(env.apiVersion, env.kind);
  if (env.contentEncoding !== '') {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request uses content encoding ${JSON.stringify(env.contentEncoding)}, which is not supported`,
    );
  }
  const out: TokenRequest = {
    apiVersion: TOKEN_REQUEST_API_VERSION,
    kind: 'TokenRequest',
    metadata: {},
    spec: {} as TokenRequest['spec'],
  };
  const r = new WireReader(body, env.rawStart);
  let path = 'TokenRequest';
  try {
    while (r.pos < env.rawEnd) {
      const tag = r.readTag(env.rawEnd);
      if (tag.fieldNumber === 1 || tag.fieldNumber === 2) {
        path = tag.fieldNumber === 1 ? 'metadata' : 'spec';
        expectWireType(tag, WireType.lengthDelimited, path);
        const s = r.readLengthDelimited(env.rawEnd);
        if (tag.fieldNumber === 1) {
          out.metadata = decodeMessage(body, 'meta.v1.ObjectMeta', s.start, s.end, 'metadata');
        } else {
          r.pos = s.start;
          out.spec = spec(r, s.end);
        }
      } else {
        r.skip(tag, env.rawEnd, SKIP_DEPTH);
      }
    }
  } catch (e) {
    if (e instanceof FieldError) throw malformedBody(e.path, e.offset, e.reason);
    if (e instanceof WireFormatError) throw malformedBody(path, e.offset, e.reason);
    throw e;
  }
  return out;
}
