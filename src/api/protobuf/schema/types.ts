/**
 * Shape of the protobuf schema tables (the *.generated.ts files beside this one). A table row says how one
 * field number of one message is read off the wire and where its value lands in the JSON form.
 */

/** The proto scalar types that occur in the Kubernetes generated.proto files podbay reads. */
export type ScalarType = 'string' | 'bytes' | 'bool' | 'int32' | 'int64';

export interface FieldSchema {
  /** JSON (camelCase) name, from the Go struct's json tag. Unused for `inline` fields. */
  readonly json: string;
  readonly type: ScalarType | 'message';
  /** Table key of the nested message (`core.v1.PodSpec`, `meta.v1.Time`) when `type` is 'message'. */
  readonly message?: string;
  /** `repeated` in proto: a JSON array. */
  readonly repeated?: boolean;
  /** `map<string, T>` in proto (repeated entry messages {1: key, 2: value}): a JSON object. */
  readonly map?: boolean;
  /** Go `json:",inline"`: the nested message's fields are merged into the parent object. */
  readonly inline?: boolean;
  /** Go `omitempty`: a zero scalar is left out of the JSON form (unless `pointer`). */
  readonly omitEmpty?: boolean;
  /** The Go field is a pointer: present on the wire means present in JSON, even when zero. */
  readonly pointer?: boolean;
}

/** One message: field number → field. */
export type MessageSchema = Readonly<Record<number, FieldSchema>>;

/** Messages keyed by short name: `core.v1.Pod`, `meta.v1.ObjectMeta`. */
export type MessageTable = Readonly<Record<string, MessageSchema>>;
