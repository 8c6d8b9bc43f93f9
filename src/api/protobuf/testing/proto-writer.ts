/**
 * Test helper: a minimal protobuf writer for building synthetic request bodies field by field, so tests
 * can exercise every table (Pod probes, volumes, Event MicroTime, ...) and every malformation precisely.
 * It writes whatever it is told, including invalid encodings; it knows nothing about schemas.
 */

export type Build = (w: ProtoWriter) => unknown;

export class ProtoWriter {
  readonly #parts: Buffer[] = [];

  /** Raw bytes, verbatim (for malformed input). */
  raw(bytes: Buffer | readonly number[]): this {
    this.#parts.push(Buffer.from(bytes as Buffer));
    return this;
  }

  tag(field: number, wireType: number): this {
    return this.rawVarint(BigInt(field) * 8n + BigInt(wireType));
  }

  /** A varint as-is; negative numbers are written as 64-bit two's complement, as Go does for int32/int64. */
  rawVarint(value: number | bigint): this {
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    return this.raw(out);
  }

  varint(field: number, value: number | bigint | boolean): this {
    return this.tag(field, 0).rawVarint(typeof value === 'boolean' ? (value ? 1 : 0) : value);
  }

  bytes(field: number, value: Buffer | Uint8Array): this {
    return this.tag(field, 2).rawVarint(value.length).raw(Buffer.from(value));
  }

  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  message(field: number, build: Build): this {
    return this.bytes(field, encode(build));
  }

  /** One map<string, string|bytes|message> entry. */
  mapEntry(field: number, key: string, value: string | Buffer | Build): this {
    return this.message(field, (e) => {
      e.string(1, key);
      if (typeof value === 'string') e.string(2, value);
      else if (Buffer.isBuffer(value)) e.bytes(2, value);
      else e.message(2, value);
    });
  }

  finish(): Buffer {
    return Buffer.concat(this.#parts);
  }
}

export const encode = (build: Build): Buffer => {
  const w = new ProtoWriter();
  build(w);
  return w.finish();
};

/** `k8s\0` + runtime.Unknown{typeMeta{apiVersion, kind}, raw}. */
export const envelope = (apiVersion: string, kind: string, raw: Build | Buffer): Buffer =>
  Buffer.concat([
    Buffer.from('k8s\0', 'latin1'),
    encode((u) => {
      u.message(1, (t) => t.string(1, apiVersion).string(2, kind));
      u.bytes(2, Buffer.isBuffer(raw) ? raw : encode(raw));
      u.string(3, '').string(4, '');
    }),
  ]);

/** meta/v1 Time/MicroTime as Go writes them: {1: seconds, 2: nanos}. */
export const timestamp =
  (seconds: number, nanos = 0): Build =>
  (t) => {
    t.varint(1, seconds);
    if (nanos !== 0) t.varint(2, nanos);
  };

/** intstr.IntOrString as Go writes it. */
export const intOrString =
  (value: number | string): Build =>
  (i) =>
    typeof value === 'number'
      ? i.varint(1, 0).varint(2, value).string(3, '')
      : i.varint(1, 1).varint(2, 0).string(3, value);

/** resource.Quantity: {1: string}. */
export const quantity =
  (value: string): Build =>
  (q) =>
    q.string(1, value);
