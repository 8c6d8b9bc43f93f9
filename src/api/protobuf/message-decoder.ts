/**
 * Table-driven protobuf → JSON-form decoding of one message. The schema tables (./schema) say what each
 * field number is; this file only walks the wire and applies the JSON rules encoding/json would:
 * camelCase names, `omitempty` zero scalars dropped (gogo writes every non-pointer field, even zero ones),
 * inline structs flattened, maps as objects, bytes as base64, int64 as numbers.
 *
 * Contract: returns a fresh plain object, or throws ApiError 400 naming the field path and byte offset.
 * Unknown field numbers are skipped, as proto requires for forward compatibility.
 */
import { childPath, malformedBody, type PathNode, renderPath } from './decode-error.js';
import { type FieldSchema, MESSAGES, type MessageSchema, type ScalarType } from './schema/index.js';
import { SPECIAL_TYPES } from './special-types.js';
import { type Tag, WIRE_TYPE_NAMES, WireFormatError, WireReader, WireType } from './wire-reader.js';

/** Deepest message nesting accepted. Real objects stay under 15 (Deployment → ... → matchExpressions). */
export const MAX_NESTING = 32;

type JsonObject = Record<string, unknown>;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const VARINT_TYPES: ReadonlySet<string> = new Set<ScalarType>(['bool', 'int32', 'int64']);

/**
 * Decodes `messageName` from buf[start, end). `rootLabel` names the object in errors raised before any
 * field is entered (`ConfigMap at byte 9: ...`).
 */
export function decodeMessage(
  buf: Buffer,
  messageName: string,
  start: number,
  end: number,
  rootLabel: string,
): JsonObject {
  const decoder = new MessageDecoder(new WireReader(buf, start));
  try {
    return decoder.message(lookup(messageName), end, 1);
  } catch (err) {
    throw decoder.toApiError(err, rootLabel);
  }
}

function lookup(messageName: string): MessageSchema {
  const schema = MESSAGES[messageName];
  // Unreachable with the generated tables (their generator checks closure); guards hand edits.
  if (!schema) throw new Error(`protobuf schema has no message ${messageName}`);
  return schema;
}

class MessageDecoder {
  /** Path of the field being decoded; left pointing at the deepest field when an error unwinds. */
  private path: PathNode | undefined;

  constructor(private readonly reader: WireReader) {}

  /** WireFormatError → ApiError 400 at the current path; anything else passes through unchanged. */
  toApiError(err: unknown, rootLabel: string): unknown {
    if (!(err instanceof WireFormatError)) return err;
    return malformedBody(renderPath(this.path, rootLabel), err.offset, err.reason);
  }

  /** Reads fields up to `end` into a new object. `depth` counts this message (the root is 1). */
  message(schema: MessageSchema, end: number, depth: number): JsonObject {
    const out: JsonObject = {};
    while (this.reader.pos < end) {
      const tag = this.reader.readTag(end);
      const field = schema[tag.fieldNumber];
      if (field === undefined) {
        this.reader.skip(tag, end, MAX_NESTING - depth);
        continue;
      }
      const parent = this.path;
      this.field(field, tag, end, depth, out);
      this.path = parent;
    }
    return out;
  }

  private field(field: FieldSchema, tag: Tag, end: number, depth: number, out: JsonObject): void {
    if (!field.inline) this.path = childPath(this.path, field.json);
    if (field.map) {
      this.expectWireType(field, tag, WireType.lengthDelimited);
      this.mapEntry(field, end, depth, out);
      return;
    }
    if (field.repeated) {
      const list = (out[field.json] as unknown[] | undefined) ?? [];
      if (VARINT_TYPES.has(field.type) && tag.wireType === WireType.lengthDelimited) {
        // Packed encoding: parsers must accept it for repeated scalars even though gogo never writes it.
        const region = this.reader.readLengthDelimited(end);
        this.reader.pos = region.start;
        const listPath = this.path;
        while (this.reader.pos < region.end) {
          this.path = childPath(listPath, list.length);
          list.push(this.scalar(field.type as ScalarType, region.end));
        }
      } else {
        this.path = childPath(this.path, list.length);
        list.push(this.value(field, tag, end, depth));
      }
      // An empty packed run adds nothing, like a nil Go slice under omitempty.
      if (list.length > 0) out[field.json] = list;
      return;
    }
    const value = this.value(field, tag, end, depth);
    if (field.inline) {
      Object.assign(out, value);
    } else if (field.omitEmpty && !field.pointer && field.type !== 'message' && isZeroScalar(value)) {
      delete out[field.json];
    } else {
      out[field.json] = value;
    }
  }

  /** One singular value (a list element or a plain field), after checking the wire type matches. */
  private value(field: FieldSchema, tag: Tag, end: number, depth: number): unknown {
    if (field.type === 'message') {
      this.expectWireType(field, tag, WireType.lengthDelimited);
      return this.nested(field.message!, tag, end, depth);
    }
    this.expectWireType(
      field,
      tag,
      VARINT_TYPES.has(field.type) ? WireType.varint : WireType.lengthDelimited,
    );
    return this.scalar(field.type, end);
  }

  private nested(messageName: string, tag: Tag, end: number, depth: number): unknown {
    if (depth >= MAX_NESTING) {
      throw new WireFormatError(tag.offset, `nesting too deep (more than ${MAX_NESTING} levels)`);
    }
    const region = this.reader.readLengthDelimited(end);
    this.reader.pos = region.start;
    const special = SPECIAL_TYPES[messageName];
    if (special) {
      const fieldsPath = this.path;
      const decoded = this.message(special.fields, region.end, depth + 1);
      this.path = fieldsPath;
      return special.toJson(decoded, region.start === region.end, (reason) => {
        throw new WireFormatError(tag.offset, reason);
      });
    }
    return this.message(lookup(messageName), region.end, depth + 1);
  }

  /** A map<string, T> entry: {1: key, 2: value}; absent parts take their zero value, as in proto. */
  private mapEntry(field: FieldSchema, end: number, depth: number, out: JsonObject): void {
    const region = this.reader.readLengthDelimited(end);
    this.reader.pos = region.start;
    const mapPath = this.path;
    let key = '';
    let value: unknown;
    let hasValue = false;
    while (this.reader.pos < region.end) {
      const tag = this.reader.readTag(region.end);
      if (tag.fieldNumber === 1) {
        this.path = childPath(mapPath, '(key)', true);
        this.expectWireType({ ...field, type: 'string' }, tag, WireType.lengthDelimited);
        key = this.scalar('string', region.end) as string;
      } else if (tag.fieldNumber === 2) {
        this.path = childPath(mapPath, key, true);
        value = this.value(field, tag, region.end, depth);
        hasValue = true;
      } else {
        this.reader.skip(tag, region.end, MAX_NESTING - depth);
      }
    }
    if (!hasValue) value = this.zeroValue(field, region.end, depth);
    const target = (out[field.json] as JsonObject | undefined) ?? {};
    out[field.json] = target;
    // defineProperty, not assignment: a key such as "__proto__" must become data, not a prototype.
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  }

  /** What a map value decodes to when the entry has none (an empty message for message values). */
  private zeroValue(field: FieldSchema, at: number, depth: number): unknown {
    if (field.type === 'message') {
      this.reader.pos = at;
      const special = SPECIAL_TYPES[field.message!];
      if (special)
        return special.toJson({}, true, (reason) => {
          throw new WireFormatError(at, reason);
        });
      return this.message(lookup(field.message!), at, depth + 1);
    }
    return zeroScalar(field.type);
  }

  private scalar(type: ScalarType, end: number): string | number | boolean {
    const r = this.reader;
    switch (type) {
      case 'string': {
        const { start, end: stop } = r.readLengthDelimited(end);
        return r.decodeUtf8(start, stop);
      }
      case 'bytes': {
        const { start, end: stop } = r.readLengthDelimited(end);
        return r.buf.subarray(start, stop).toString('base64');
      }
      case 'bool':
        return r.readVarint(end) !== 0n;
      case 'int32':
        // Go's generated Unmarshal keeps the low 32 bits (negative int32s arrive sign-extended to 64).
        return Number(BigInt.asIntN(32, r.readVarint(end)));
      case 'int64': {
        const at = r.pos;
        const v = BigInt.asIntN(64, r.readVarint(end));
        if (v > MAX_SAFE || v < -MAX_SAFE) {
          throw new WireFormatError(
            at,
            `int64 value ${v} is beyond ±(2^53-1) and cannot be a JSON number exactly`,
          );
        }
        return Number(v);
      }
    }
  }

  private expectWireType(field: FieldSchema, tag: Tag, expected: number): void {
    if (tag.wireType === expected) return;
    throw new WireFormatError(
      tag.offset,
      `field ${tag.fieldNumber} (${field.type}) must use wire type ${WIRE_TYPE_NAMES[expected]}, got ${WIRE_TYPE_NAMES[tag.wireType]}`,
    );
  }
}

function zeroScalar(type: ScalarType): string | number | boolean {
  if (type === 'string' || type === 'bytes') return '';
  return type === 'bool' ? false : 0;
}

/** encoding/json's omitempty test for scalars (structs such as IntOrString are never omitted). */
const isZeroScalar = (v: unknown): boolean => v === '' || v === 0 || v === false;
