/**
 * The Kubernetes protobuf envelope: the 4-byte magic `k8s\0`, then a runtime.Unknown message
 * (apimachinery pkg/runtime/generated.proto):
 *   1: typeMeta {1: apiVersion, 2: kind}   2: raw (the object's own message)
 *   3: contentEncoding                      4: contentType
 * Hand-decoded rather than table-driven because `raw` must stay a byte range, not become base64.
 */
import { childPath, malformedBody, type PathNode, renderPath } from './decode-error.js';
import { type Tag, WireFormatError, WireReader, WireType } from './wire-reader.js';

export const PROTOBUF_MAGIC: Buffer = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export interface Envelope {
  readonly apiVersion: string;
  readonly kind: string;
  /** Byte range of the object's message within the body; empty when `raw` was absent. */
  readonly rawStart: number;
  readonly rawEnd: number;
  readonly contentEncoding: string;
  readonly contentType: string;
}

const ROOT: PathNode = { parent: undefined, segment: 'runtime.Unknown' };

/** Parses the envelope or throws ApiError 400 (`runtime.Unknown.typeMeta.kind at byte 12: ...`). */
export function decodeEnvelope(body: Buffer): Envelope {
  if (
    body.length < PROTOBUF_MAGIC.length ||
    !body.subarray(0, PROTOBUF_MAGIC.length).equals(PROTOBUF_MAGIC)
  ) {
    throw malformedBody('body', 0, 'missing the Kubernetes protobuf prefix "k8s\\x00"');
  }
  const reader = new WireReader(body, PROTOBUF_MAGIC.length);
  let path: PathNode = ROOT;
  const env = {
    apiVersion: '',
    kind: '',
    rawStart: body.length,
    rawEnd: body.length,
    contentEncoding: '',
    contentType: '',
  };
  const string = (tag: Tag, end: number, name: string, parent: PathNode): string => {
    path = childPath(parent, name);
    if (tag.wireType !== WireType.lengthDelimited) {
      throw new WireFormatError(tag.offset, `field ${tag.fieldNumber} (string) must be length-delimited`);
    }
    const r = reader.readLengthDelimited(end);
    return reader.decodeUtf8(r.start, r.end);
  };
  try {
    while (reader.pos < body.length) {
      const tag = reader.readTag(body.length);
      path = ROOT;
      if (tag.fieldNumber === 1 && tag.wireType === WireType.lengthDelimited) {
        path = childPath(ROOT, 'typeMeta');
        const typeMetaPath = path;
        const tm = reader.readLengthDelimited(body.length);
        reader.pos = tm.start;
        while (reader.pos < tm.end) {
          const inner = reader.readTag(tm.end);
          if (inner.fieldNumber === 1) env.apiVersion = string(inner, tm.end, 'apiVersion', typeMetaPath);
          else if (inner.fieldNumber === 2) env.kind = string(inner, tm.end, 'kind', typeMetaPath);
          else reader.skip(inner, tm.end, 8);
        }
      } else if (tag.fieldNumber === 2 && tag.wireType === WireType.lengthDelimited) {
        path = childPath(ROOT, 'raw');
        const raw = reader.readLengthDelimited(body.length);
        env.rawStart = raw.start;
        env.rawEnd = raw.end;
      } else if (tag.fieldNumber === 3) {
        env.contentEncoding = string(tag, body.length, 'contentEncoding', ROOT);
      } else if (tag.fieldNumber === 4) {
        env.contentType = string(tag, body.length, 'contentType', ROOT);
      } else if (tag.fieldNumber <= 2) {
        throw new WireFormatError(tag.offset, `field ${tag.fieldNumber} must be length-delimited`);
      } else {
        reader.skip(tag, body.length, 8);
      }
    }
  } catch (err) {
    if (err instanceof WireFormatError)
      throw malformedBody(renderPath(path, 'runtime.Unknown'), err.offset, err.reason);
    throw err;
  }
  return env;
}
