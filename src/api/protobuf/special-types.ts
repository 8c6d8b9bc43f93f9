/**
 * Messages whose JSON form is not an object of their proto fields. Each entry reads its few fields with
 * the ordinary table-driven decoder (`fields`) and then turns them into the value apimachinery's
 * MarshalJSON would write (`toJson`). This file is the single owner of those conversions.
 */
import type { MessageSchema } from './schema/index.js';

export interface SpecialType {
  readonly fields: MessageSchema;
  /**
   * Builds the JSON value from the decoded fields; `empty` is true when the message had no bytes at all.
   * Calls `fail` (which throws) for values upstream refuses to decode or encode.
   */
  toJson(
    decoded: Readonly<Record<string, unknown>>,
    empty: boolean,
    fail: (reason: string) => never,
  ): unknown;
}

/** time.Time{}.Unix(): Go's zero time, which meta/v1 Time marshals as JSON null. */
const GO_ZERO_TIME_SECONDS = -62135596800;
const NANOS_PER_SECOND = 1_000_000_000;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

const TIMESTAMP_FIELDS: MessageSchema = {
  1: { json: 'seconds', type: 'int64' },
  2: { json: 'nanos', type: 'int32' },
};

/**
 * RFC 3339 in UTC, as meta/v1 Time and MicroTime round-trip protobuf into JSON (time_proto.go,
 * micro_time_proto.go): an empty message is the zero time; Time keeps whole seconds only (upstream drops
 * the nanos on purpose), MicroTime keeps microseconds (truncated). The zero time marshals as null; like
 * Go's MarshalJSON, years outside 0000-9999 are refused.
 */
function rfc3339(
  decoded: Readonly<Record<string, unknown>>,
  empty: boolean,
  fractionDigits: 0 | 6,
  fail: (reason: string) => never,
): string | null {
  if (empty) return null;
  const rawSeconds = (decoded.seconds as number | undefined) ?? 0;
  const rawNanos = fractionDigits === 0 ? 0 : ((decoded.nanos as number | undefined) ?? 0);
  // time.Unix normalises nanos outside [0, 1e9) into the seconds.
  const carry = Math.floor(rawNanos / NANOS_PER_SECOND);
  const seconds = rawSeconds + carry;
  const nanos = rawNanos - carry * NANOS_PER_SECOND;
  if (seconds === GO_ZERO_TIME_SECONDS && nanos === 0) return null;
  const date = new Date(seconds * 1000);
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) {
    fail(`timestamp ${rawSeconds}s is outside the years 0000-9999 that RFC 3339 can express`);
  }
  const whole = date.toISOString().slice(0, 19);
  if (fractionDigits === 0) return `${whole}Z`;
  const micros = Math.floor(nanos / 1000);
  return `${whole}.${String(micros).padStart(6, '0')}Z`;
}

/** Bytes (base64 once decoded) holding JSON, embedded as the value itself; no bytes → null. */
function rawJson(bytes: unknown, what: string, fail: (reason: string) => never): unknown {
  const raw = Buffer.from((bytes as string | undefined) ?? '', 'base64');
  if (raw.length === 0) return null;
  try {
    return JSON.parse(strictUtf8.decode(raw));
  } catch {
    return fail(`${what} does not hold valid UTF-8 JSON`);
  }
}

/** `type ExtraValue []string`: proto wraps the list in a message, JSON writes the list. */
const EXTRA_VALUE: SpecialType = {
  fields: { 1: { json: 'items', type: 'string', repeated: true } },
  toJson: (decoded) => (decoded.items as string[] | undefined) ?? [],
};

/** resource.ParseQuantity's grammar: signed decimal, then a binary/decimal SI suffix or an exponent. */
const QUANTITY = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+|[KMGTPE]i|[numkMGTPE])?$/;

export const SPECIAL_TYPES: Readonly<Record<string, SpecialType>> = {
  /** meta/v1 Time: `2026-11-25T08:00:13Z` (second precision); empty message or zero time → null. */
  'meta.v1.Time': {
    fields: TIMESTAMP_FIELDS,
    toJson: (decoded, empty, fail) => rfc3339(decoded, empty, 0, fail),
  },
  /** meta/v1 MicroTime: `2026-11-25T08:00:13.123456Z`; empty message or zero time → null. */
  'meta.v1.MicroTime': {
    fields: TIMESTAMP_FIELDS,
    toJson: (decoded, empty, fail) => rfc3339(decoded, empty, 6, fail),
  },
  /** intstr.IntOrString: type 0 → the int, type 1 → the string. */
  'intstr.IntOrString': {
    fields: {
      1: { json: 'type', type: 'int64' },
      2: { json: 'intVal', type: 'int32' },
      3: { json: 'strVal', type: 'string' },
    },
    toJson: (decoded, _empty, fail) => {
      const type = (decoded.type as number | undefined) ?? 0;
      if (type === 0) return (decoded.intVal as number | undefined) ?? 0;
      if (type === 1) return (decoded.strVal as string | undefined) ?? '';
      return fail(`IntOrString type ${type} is neither 0 (int) nor 1 (string)`);
    },
  },
  /**
   * resource.Quantity: its string, kept as written. Upstream would also canonicalise it (`1000m` → `1`);
   * podbay keeps the client's spelling, but rejects what ParseQuantity rejects.
   */
  'resource.Quantity': {
    fields: { 1: { json: 'string', type: 'string' } },
    toJson: (decoded, _empty, fail) => {
      const text = decoded.string as string | undefined;
      if (text === undefined) return '0';
      if (!QUANTITY.test(text))
        fail(`quantity ${JSON.stringify(text)} must match the regular expression ${QUANTITY.source}`);
      return text;
    },
  },
  /** authentication/v1 ExtraValue (a user's extra values): a plain list of strings in JSON. */
  'authentication.v1.ExtraValue': EXTRA_VALUE,
  'authorization.v1.ExtraValue': EXTRA_VALUE,
  /**
   * runtime.RawExtension (ControllerRevision.data): `raw` holds the object's JSON, embedded as-is, as
   * RawExtension.MarshalJSON writes it (no bytes → null).
   */
  'runtime.RawExtension': {
    fields: { 1: { json: 'raw', type: 'bytes' } },
    toJson: (decoded, _empty, fail) => rawJson(decoded.raw, 'raw extension', fail),
  },
  /** meta/v1 FieldsV1: `Raw` holds JSON, embedded as-is in the JSON form. */
  'meta.v1.FieldsV1': {
    fields: { 1: { json: 'Raw', type: 'bytes' } },
    toJson: (decoded, _empty, fail) => rawJson(decoded.Raw, 'fieldsV1', fail),
  },
};
