// The entries file: YAML or JSON. Either a list of entries or a map with an `entries:` list. Each entry:
//
//   key: app:config                      # required, non-empty, unique in the file
//   type: string                         # string (default) | hash | list | set | zset
//   value: ...                           # exactly one of value / valueFromFile
//   valueFromFile: app-config.json       # (also value-from-file) path, relative to the entries file
//   ttl: 3600                            # optional: seconds, or a duration such as 1h, 90s
//
// value shapes: string -> scalar (a map or list is stored as its JSON text); hash -> map of field to
// scalar; list / set -> list of scalars; zset -> map of member to score, or list of {member, score}.
// Every problem is reported as `file:line:column: field.path: reason`.
//
// Speed: validation runs on plain values (JSON.parse for JSON, which is 10x faster than a YAML
// composer on large files); the source is parsed for positions only when there is a problem to locate.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Document, isMap, isPair, isScalar, LineCounter, parseDocument } from 'yaml';
import { parseDurationMs } from './duration.js';
import { EntriesError } from './errors.js';

export const ENTRY_TYPES = ['string', 'hash', 'list', 'set', 'zset'] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

export type EntryValue =
  | { type: 'string'; value: Buffer }
  | { type: 'hash'; value: Array<[string, Buffer]> }
  | { type: 'list'; value: Buffer[] }
  | { type: 'set'; value: Buffer[] }
  | { type: 'zset'; value: Array<{ member: string; score: number }> };

export type Entry = EntryValue & {
  key: string;
  /** Time to live in milliseconds; undefined = no expiry. */
  ttlMs?: number;
};

type Path = Array<string | number>;
const FIELDS = ['key', 'type', 'value', 'valueFromFile', 'value-from-file', 'ttl'];

/** A problem found on plain values; located in the source afterwards. `atKey`: point at the map key. */
class Problem extends Error {
  constructor(
    readonly path: Path,
    readonly reason: string,
    readonly atKey = false,
  ) {
    super(reason);
  }
}

export function formatPath(path: Path): string {
  return (
    path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(document)'
  );
}

export function readEntriesFile(path: string): Entry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new EntriesError(
      path,
      0,
      0,
      '--file',
      `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return parseEntries(text, path);
}

export function parseEntries(text: string, file: string): Entry[] {
  let doc: Document | undefined;
  let lines: LineCounter | undefined;
  const parseYaml = () => {
    lines = new LineCounter();
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const first = doc.errors[0];
    if (first) {
      const pos = lines.linePos(first.pos[0]);
      throw new EntriesError(file, pos.line, pos.col, '(syntax)', first.message.split('\n')[0] as string);
    }
    try {
      return doc.toJS({ maxAliasCount: 100 }) as unknown;
    } catch (err) {
      // Unresolved or exploding aliases are only detected while building values.
      const alias = /alias[^:]*: (\S+)/.exec((err as Error).message)?.[1];
      const at = alias ? text.indexOf(`*${alias}`) : -1;
      const pos = lines.linePos(Math.max(0, at));
      throw new EntriesError(
        file,
        pos.line,
        pos.col,
        '(syntax)',
        (err as Error).message.split('\n')[0] as string,
      );
    }
  };
  let root: unknown;
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      root = JSON.parse(text);
    } catch {
      root = parseYaml(); // flow-style YAML, or JSON with an error the YAML parser will locate
    }
  } else root = parseYaml();
  try {
    return validateRoot(root, dirname(resolve(file)));
  } catch (err) {
    if (!(err instanceof Problem)) throw err;
    if (!doc) parseYaml();
    const pos = locate(doc as Document, lines as LineCounter, err);
    throw new EntriesError(file, pos.line, pos.col, formatPath(err.path), err.reason);
  }
}

/** The position of the node at `path` (or of its key), falling back to the nearest ancestor. */
function locate(doc: Document, lines: LineCounter, p: Problem): { line: number; col: number } {
  for (let n = p.path.length; n >= 0; n--) {
    const sub = p.path.slice(0, n);
    if (p.atKey && n === p.path.length && n > 0) {
      const parent = doc.getIn(sub.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find(
          (it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(sub[n - 1]),
        );
        const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
        if (range) return lines.linePos(range[0]);
      }
      continue;
    }
    const node = n === 0 ? doc.contents : doc.getIn(sub, true);
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (range) return lines.linePos(range[0]);
  }
  return { line: 1, col: 1 };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function validateRoot(root: unknown, baseDir: string): Entry[] {
  let list = root;
  let base: Path = [];
  if (isObject(root)) {
    const extra = Object.keys(root).find((k) => k !== 'entries');
    if (extra !== undefined) throw new Problem([extra], 'unknown top-level field (want `entries:`)', true);
    if (!('entries' in root)) throw new Problem([], 'missing `entries:`');
    list = root.entries;
    base = ['entries'];
  }
  if (!Array.isArray(list)) throw new Problem(base, 'want a list of entries');
  const seen = new Map<string, number>();
  return list.map((item, i) => {
    const at = [...base, i];
    const entry = validateEntry(item, at, baseDir);
    const prev = seen.get(entry.key);
    if (prev !== undefined)
      throw new Problem([...at, 'key'], `duplicate key "${entry.key}" (also ${formatPath([...base, prev])})`);
    seen.set(entry.key, i);
    return entry;
  });
}

function validateEntry(item: unknown, at: Path, baseDir: string): Entry {
  if (!isObject(item)) throw new Problem(at, 'want a map with key and value');
  for (const name of Object.keys(item)) {
    if (!FIELDS.includes(name)) {
      throw new Problem(
        [...at, name],
        `unknown field (want ${FIELDS.filter((f) => f !== 'value-from-file').join(', ')})`,
        true,
      );
    }
  }
  if (!('key' in item)) throw new Problem(at, 'missing field `key`');
  const key = item.key;
  if (typeof key !== 'string' || key === '') throw new Problem([...at, 'key'], 'want a non-empty string');

  let type: EntryType = 'string';
  if ('type' in item) {
    if (!ENTRY_TYPES.includes(item.type as EntryType))
      throw new Problem([...at, 'type'], `want one of ${ENTRY_TYPES.join(', ')}`);
    type = item.type as EntryType;
  }

  const fromName = 'valueFromFile' in item ? 'valueFromFile' : 'value-from-file';
  const hasFrom = fromName in item;
  if ('value' in item && hasFrom)
    throw new Problem([...at, fromName], 'give either value or valueFromFile, not both');
  if (!('value' in item) && !hasFrom) throw new Problem(at, 'missing field `value` (or `valueFromFile`)');

  let value: EntryValue;
  if (hasFrom) {
    const fromPath = [...at, fromName];
    const rel = item[fromName];
    if (typeof rel !== 'string' || rel === '') throw new Problem(fromPath, 'want a file path');
    const path = resolve(baseDir, rel);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (err) {
      throw new Problem(
        fromPath,
        `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
    if (bytes.length === 0) throw new Problem(fromPath, `${path} is empty`);
    if (type === 'string') value = { type, value: bytes };
    else {
      // Structured types read their file as YAML/JSON.
      const inner = parseDocument(bytes.toString('utf8'));
      if (inner.errors[0]) throw new Problem(fromPath, `${path}: ${inner.errors[0].message.split('\n')[0]}`);
      value = validateValue(type, inner.toJS(), fromPath);
    }
  } else {
    value = validateValue(type, item.value, [...at, 'value']);
  }

  let ttlMs: number | undefined;
  if ('ttl' in item) {
    const raw = item.ttl;
    const ms =
      typeof raw === 'number' ? raw * 1000 : typeof raw === 'string' ? parseDurationMs(raw) : undefined;
    if (ms === undefined || !Number.isFinite(ms) || ms < 1 || !Number.isInteger(ms)) {
      throw new Problem(
        [...at, 'ttl'],
        `want a positive number of seconds or a duration like 1h (got ${JSON.stringify(raw ?? null)})`,
      );
    }
    ttlMs = ms;
  }
  return { ...value, key, ...(ttlMs !== undefined ? { ttlMs } : {}) } as Entry;
}

function scalarBytes(v: unknown, path: Path): Buffer {
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')
    return Buffer.from(String(v), 'utf8');
  throw new Problem(path, 'want a string, number or boolean');
}

function validateValue(type: EntryType, v: unknown, at: Path): EntryValue {
  switch (type) {
    case 'string':
      if (isObject(v) || Array.isArray(v)) return { type, value: Buffer.from(JSON.stringify(v), 'utf8') };
      return { type, value: scalarBytes(v, at) };
    case 'hash':
      if (!isObject(v) || Object.keys(v).length === 0)
        throw new Problem(at, 'want a non-empty map of field: value');
      return {
        type,
        value: Object.entries(v).map(([f, x]) => [f, scalarBytes(x, [...at, f])] as [string, Buffer]),
      };
    case 'list':
    case 'set': {
      if (!Array.isArray(v) || v.length === 0) throw new Problem(at, 'want a non-empty list');
      const items = v.map((x, i) => scalarBytes(x, [...at, i]));
      if (type === 'list') return { type, value: items };
      return { type, value: [...new Map(items.map((b) => [b.toString('base64'), b])).values()] };
    }
    case 'zset': {
      if (isObject(v) && Object.keys(v).length > 0) {
        return {
          type,
          value: Object.entries(v).map(([member, s]) => ({ member, score: score(s, [...at, member]) })),
        };
      }
      if (Array.isArray(v) && v.length > 0) {
        return {
          type,
          value: v.map((m, i) => {
            if (!isObject(m)) throw new Problem([...at, i], 'want {member, score}');
            return {
              member: scalarBytes(m.member, [...at, i, 'member']).toString('utf8'),
              score: score(m.score, [...at, i, 'score']),
            };
          }),
        };
      }
      throw new Problem(at, 'want a non-empty map of member: score, or a list of {member, score}');
    }
  }
}

function score(v: unknown, path: Path): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Problem(path, 'want a number');
  return v;
}
