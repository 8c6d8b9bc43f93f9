/**
 * JSON patch (RFC 6902, `application/json-patch+json`) as kube-apiserver applies it: through
 * evanphx/json-patch v4.12 (staging/.../endpoints/handlers/patch.go). kubectl sends it for
 * `rollout undo` (replace /spec/template and the revision annotation) and `patch --type json`.
 *
 * Error contract, as upstream:
 * - a body that is not an array of objects: 400 BadRequest with Go's decoding message;
 * - more than 10000 operations: 413 RequestEntityTooLarge;
 * - any operation that fails (bad path, failed `test`, unknown op): 422 Invalid whose message is
 *   the generic "the server rejected our request due to an error in our request" (upstream drops
 *   the library's text there). The library's text, which names the path, is kept as the error's
 *   `cause` for logs and tests.
 *
 * Quirks of v4.12 reproduced because clients observe them: `replace` of a missing object key
 * adds it; negative array indices count from the end; `copy`/`move` from a missing object key
 * writes null; `replace` of the root with a scalar is a no-op; a path without a leading `/`
 * addresses the root's children by its last segment.
 */
import { ApiError, badRequest } from '../errors.js';
import { cloneJson, isObject, type JsonObject, jsonEqual, jsonTypeName, setKey } from './json-value.js';

/** kube-apiserver's maxJSONPatchOperations. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;
/** Bound on bytes added by `copy` operations (upstream leaves it unlimited; we refuse blow-ups). */
export const ACCUMULATED_COPY_SIZE_LIMIT = 3 * 1024 * 1024;

/** What upstream's NewGenericServerResponse(422, ...) says, whatever went wrong. */
export const JSON_PATCH_REJECTED = 'the server rejected our request due to an error in our request';

type Container = JsonObject | unknown[];
interface Located {
  container: Container;
  key: string;
}
/** A failure inside one operation; becomes the 422's cause. Message text is the library's. */
class OpError extends Error {}

export function applyJsonPatch(target: unknown, ops: unknown): unknown {
  const operations = decodePatch(ops);
  const state = { root: cloneJson(target) as unknown, copied: 0 };
  for (const op of operations) {
    try {
      applyOperation(state, op);
    } catch (e) {
      if (!(e instanceof OpError)) throw e;
      const err = new ApiError(422, 'Invalid', JSON_PATCH_REJECTED, {});
      err.cause = e;
      throw err;
    }
  }
  return state.root;
}

function decodePatch(ops: unknown): (JsonObject | null)[] {
  if (ops === null || ops === undefined) return [];
  if (!Array.isArray(ops)) {
    throw badRequest(`json: cannot unmarshal ${jsonTypeName(ops)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of ops) {
    if (op !== null && !isObject(op)) {
      throw badRequest(
        `json: cannot unmarshal ${jsonTypeName(op)} into Go value of type jsonpatch.Operation`,
      );
    }
  }
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new ApiError(
      413,
      'RequestEntityTooLarge',
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`,
    );
  }
  return ops as (JsonObject | null)[];
}

/** A string field of the op: the value, or the decode error text upstream would produce. */
function stringField(op: JsonObject | null, name: 'path' | 'from'): { value?: string; error?: string } {
  const raw = op?.[name];
  if (raw === undefined || raw === null) {
    return {
      error:
        name === 'path'
          ? 'operation missing path field: missing value'
          : 'operation, missing from field: missing value',
    };
  }
  if (typeof raw !== 'string')
    return { error: `json: cannot unmarshal ${jsonTypeName(raw)} into Go value of type string` };
  return { value: raw };
}

function applyOperation(state: { root: unknown; copied: number }, op: JsonObject | null): void {
  const kind = typeof op?.op === 'string' ? op.op : 'unknown';
  // An absent `value` behaves as null (upstream stores a nil node).
  const value = op && Object.hasOwn(op, 'value') ? cloneJson(op.value) : null;
  const path = stringField(op, 'path');
  switch (kind) {
    case 'add': {
      if (path.value === undefined) throw new OpError('add operation failed to decode path: missing value');
      const at = find(state.root, path.value);
      if (!at)
        throw new OpError(
          `add operation does not apply: doc is missing path: "${path.value}": missing value`,
        );
      wrap(`error in add for path: '${path.value}'`, () => add(at, value));
      return;
    }
    case 'remove': {
      if (path.value === undefined)
        throw new OpError('remove operation failed to decode path: missing value');
      const at = find(state.root, path.value);
      if (!at)
        throw new OpError(
          `remove operation does not apply: doc is missing path: "${path.value}": missing value`,
        );
      wrap(`error in remove for path: '${path.value}'`, () => remove(at));
      return;
    }
    case 'replace':
      replace(state, path, value);
      return;
    case 'move':
      move(state.root, op, path);
      return;
    case 'test':
      test(state.root, path, value);
      return;
    case 'copy':
      copy(state, op, path);
      return;
    default:
      throw new OpError(`Unexpected kind: ${kind}`);
  }
}

function replace(state: { root: unknown }, path: { value?: string; error?: string }, value: unknown): void {
  if (path.value === undefined) throw new OpError(`replace operation failed to decode path: ${path.error}`);
  if (path.value === '') {
    if (isObject(value) || Array.isArray(value)) state.root = value;
    return;
  }
  const at = find(state.root, path.value);
  if (!at)
    throw new OpError(`replace operation does not apply: doc is missing path: ${path.value}: missing value`);
  if (Array.isArray(at.container)) {
    let idx: number;
    try {
      idx = arrayIndex(at.key, at.container.length);
    } catch {
      throw new OpError(`replace operation does not apply: doc is missing key: ${path.value}: missing value`);
    }
    at.container[idx] = value;
  } else {
    setKey(at.container, at.key, value);
  }
}

function move(root: unknown, op: JsonObject | null, path: { value?: string; error?: string }): void {
  const from = stringField(op, 'from');
  if (from.value === undefined) throw new OpError(`move operation failed to decode from: ${from.error}`);
  const src = find(root, from.value);
  if (!src)
    throw new OpError(
      `move operation does not apply: doc is missing from path: ${from.value}: missing value`,
    );
  const moved = wrap(`error in move for path: '${src.key}'`, () => get(src));
  wrap(`error in move for path: '${src.key}'`, () => remove(src));
  if (path.value === undefined) throw new OpError(`move operation failed to decode path: ${path.error}`);
  const dst = find(root, path.value);
  if (!dst)
    throw new OpError(
      `move operation does not apply: doc is missing destination path: ${path.value}: missing value`,
    );
  wrap(`error in move for path: '${path.value}'`, () => add(dst, moved ?? null));
}

function test(root: unknown, path: { value?: string; error?: string }, expected: unknown): void {
  if (path.value === undefined) throw new OpError(`test operation failed to decode path: ${path.error}`);
  if (path.value === '') {
    if (jsonEqual(root, expected)) return;
    throw new OpError('testing value  failed: test failed');
  }
  const at = find(root, path.value);
  if (!at) throw new OpError(`test operation does not apply: is missing path: ${path.value}: missing value`);
  const actual = wrap(`error in test for path: '${path.value}'`, () => get(at));
  if ((actual ?? null) === null ? expected === null : jsonEqual(actual, expected)) return;
  throw new OpError(`testing value ${path.value} failed: test failed`);
}

function copy(
  state: { root: unknown; copied: number },
  op: JsonObject | null,
  path: { value?: string },
): void {
  const from = stringField(op, 'from');
  if (from.value === undefined) throw new OpError(`copy operation failed to decode from: ${from.error}`);
  const src = find(state.root, from.value);
  if (!src)
    throw new OpError(
      `copy operation does not apply: doc is missing from path: ${from.value}: missing value`,
    );
  const value = wrap(`error in copy for from: '${from.value}'`, () => get(src));
  if (path.value === undefined) throw new OpError('copy operation failed to decode path: missing value');
  const dst = find(state.root, path.value);
  if (!dst)
    throw new OpError(
      `copy operation does not apply: doc is missing destination path: ${path.value}: missing value`,
    );
  const size = JSON.stringify(value ?? null).length;
  state.copied += size;
  if (state.copied > ACCUMULATED_COPY_SIZE_LIMIT) {
    throw new OpError(
      `Unable to complete the copy, the accumulated size increase of copy is ${state.copied}, exceeding the limit ${ACCUMULATED_COPY_SIZE_LIMIT}`,
    );
  }
  wrap('error while adding value during copy', () => add(dst, value === undefined ? null : cloneJson(value)));
}

/** Runs `fn`, prefixing any OpError's message as pkg/errors.Wrapf does (`prefix: cause`). */
function wrap<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof OpError) throw new OpError(`${prefix}: ${e.message}`);
    throw e;
  }
}

/** RFC 6901 unescaping: `~1` then `~0`, in one left-to-right pass (as strings.NewReplacer). */
const decodeToken = (t: string): string => t.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));

/** The container holding the last segment of `path`, or undefined when a parent is missing. */
function find(root: unknown, path: string): Located | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let node: unknown = root;
  for (const part of split.slice(1, -1)) {
    let next: unknown;
    try {
      next = get({ container: node as Container, key: decodeToken(part) });
    } catch {
      return undefined;
    }
    if (!isObject(next) && !Array.isArray(next)) return undefined;
    node = next;
  }
  if (!isObject(node) && !Array.isArray(node)) return undefined;
  return { container: node, key: decodeToken(split[split.length - 1]!) };
}

/** Go's strconv.Atoi: optional sign, decimal digits, 64-bit range. */
function atoi(key: string): number {
  if (!/^[+-]?\d+$/.test(key))
    throw new OpError(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  const n = Number(key);
  if (!Number.isSafeInteger(n))
    throw new OpError(`strconv.Atoi: parsing ${JSON.stringify(key)}: value out of range`);
  return n;
}

/** Resolves an index into [0, size), negative values counting from the end (upstream default). */
function arrayIndex(key: string, size: number): number {
  const idx = atoi(key);
  if (idx >= size || idx < -size)
    throw new OpError(`Unable to access invalid index: ${idx}: invalid index referenced`);
  return idx < 0 ? idx + size : idx;
}

function get(at: Located): unknown {
  if (Array.isArray(at.container)) return at.container[arrayIndex(at.key, at.container.length)];
  return Object.hasOwn(at.container, at.key) ? at.container[at.key] : undefined;
}

function add(at: Located, value: unknown): void {
  const { container, key } = at;
  if (!Array.isArray(container)) {
    setKey(container, key, value);
    return;
  }
  if (key === '-') {
    container.push(value);
    return;
  }
  let idx: number;
  try {
    idx = atoi(key);
  } catch (e) {
    throw new OpError(`value was not a proper array index: '${key}': ${(e as Error).message}`);
  }
  const size = container.length + 1;
  if (idx >= size || idx < -size)
    throw new OpError(`Unable to access invalid index: ${idx}: invalid index referenced`);
  container.splice(idx < 0 ? idx + size : idx, 0, value);
}

function remove(at: Located): void {
  const { container, key } = at;
  if (Array.isArray(container)) {
    container.splice(arrayIndex(key, container.length), 1);
    return;
  }
  if (!Object.hasOwn(container, key))
    throw new OpError(`Unable to remove nonexistent key: ${key}: missing value`);
  delete container[key];
}
