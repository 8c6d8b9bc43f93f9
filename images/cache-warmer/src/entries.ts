// The entries file: YAML or JSON (JSON is read by the same YAML 1.2 parser, so both get positions).
// Either a list of entries or a map with an `entries:` list. Each entry:
//
//   key: app:config                      # required, non-empty, unique in the file
//   type: string                         # string (default) | hash | list | set | zset
//   value: ...                           # exactly one of value / valueFromFile
//   valueFromFile: app-config.json       # (also value-from-file) path, relative to the entries file
//   ttl: 3600                            # optional: seconds, or a duration such as 1h, 90s
//
// value shapes: string -> scalar (a map or list is stored as its JSON text); hash -> map of field to
// scalar; list / set -> list of scalars; zset -> map of member to score, or list of {member, score}.
// Every problem is reported with line:column and the field path, e.g. `entries[2].ttl`.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type Scalar, type YAMLMap } from 'yaml';
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
  /** Where the entry starts in the file, for messages. */
  line: number;
};

const FIELDS = new Set(['key', 'type', 'value', 'valueFromFile', 'value-from-file', 'ttl']);

class Locator {
  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
  ) {}
  at(node: Node | null | undefined, field: string, reason: string): EntriesError {
    const offset = node?.range?.[0] ?? 0;
    const pos = this.lines.linePos(offset);
    return new EntriesError(this.file, pos.line, pos.col, field, reason);
  }
  line(node: Node): number {
    return this.lines.linePos(node.range?.[0] ?? 0).line;
  }
}

export function readEntriesFile(path: string): Entry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new EntriesError(path, 0, 0, '--file', `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseEntries(text, path);
}

export function parseEntries(text: string, file: string): Entry[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const loc = new Locator(file, lines);
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0] ?? { line: 0, col: 0 };
    throw new EntriesError(file, pos.line, pos.col, '(syntax)', first.message.split('\n')[0] as string);
  }
  let list = doc.contents as Node | null;
  let path = '';
  if (isMap(list)) {
    const extra = list.items.find((p) => !(isScalar(p.key) && p.key.value === 'entries'));
    if (extra) throw loc.at(extra.key as Node, String((extra.key as Scalar)?.value), 'unknown top-level field (want `entries:`)');
    list = list.get('entries', true) as Node | null;
    path = 'entries';
    if (!list) throw loc.at(doc.contents, 'entries', 'missing');
  }
  if (!isSeq(list)) throw loc.at(list, path || '(document)', 'want a list of entries');
  const seen = new Map<string, number>();
  const out: Entry[] = [];
  list.items.forEach((item, i) => {
    const at = `${path}[${i}]`;
    const entry = parseEntry(item as Node, at, loc, dirname(resolve(file)));
    const prev = seen.get(entry.key);
    if (prev !== undefined) throw loc.at((item as YAMLMap).get('key', true) as Node, `${at}.key`, `duplicate key "${entry.key}" (also at line ${prev})`);
    seen.set(entry.key, entry.line);
    out.push(entry);
  });
  return out;
}

function parseEntry(node: Node, at: string, loc: Locator, baseDir: string): Entry {
  if (!isMap(node)) throw loc.at(node, at, 'want a map with key and value');
  for (const pair of node.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!FIELDS.has(name)) {
      throw loc.at(pair.key as Node, `${at}.${name}`, `unknown field (want ${[...FIELDS].filter((f) => f !== 'value-from-file').join(', ')})`);
    }
  }
  const field = (name: string) => node.get(name, true) as Node | undefined;
  const keyNode = field('key');
  if (!keyNode) throw loc.at(node, `${at}.key`, 'missing');
  if (!isScalar(keyNode) || typeof keyNode.value !== 'string' || keyNode.value === '') {
    throw loc.at(keyNode, `${at}.key`, 'want a non-empty string');
  }
  const key = keyNode.value;

  const typeNode = field('type');
  let type: EntryType = 'string';
  if (typeNode) {
    if (!isScalar(typeNode) || !ENTRY_TYPES.includes(typeNode.value as EntryType)) {
      throw loc.at(typeNode, `${at}.type`, `want one of ${ENTRY_TYPES.join(', ')}`);
    }
    type = typeNode.value as EntryType;
  }

  const valueNode = field('value');
  const fromName = field('valueFromFile') ? 'valueFromFile' : 'value-from-file';
  const fromNode = field(fromName);
  if (valueNode && fromNode) throw loc.at(fromNode, `${at}.${fromName}`, 'give either value or valueFromFile, not both');
  if (!valueNode && !fromNode) throw loc.at(node, `${at}.value`, 'missing (give value or valueFromFile)');

  let value: EntryValue;
  if (fromNode) {
    if (!isScalar(fromNode) || typeof fromNode.value !== 'string' || fromNode.value === '') {
      throw loc.at(fromNode, `${at}.${fromName}`, 'want a file path');
    }
    const path = resolve(baseDir, fromNode.value);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (err) {
      throw loc.at(fromNode, `${at}.${fromName}`, `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    if (bytes.length === 0) throw loc.at(fromNode, `${at}.${fromName}`, `${path} is empty`);
    if (type === 'string') value = { type, value: bytes };
    else {
      // Structured types read their file as YAML/JSON; its own errors are located in that file.
      const inner = parseDocument(bytes.toString('utf8'), { lineCounter: new LineCounter() });
      if (inner.errors[0]) throw loc.at(fromNode, `${at}.${fromName}`, `${path}: ${inner.errors[0].message.split('\n')[0]}`);
      value = parseValue(type, inner.contents as Node, `${at}.${fromName}`, loc);
    }
  } else {
    value = parseValue(type, valueNode as Node, `${at}.value`, loc);
  }

  const ttlNode = field('ttl');
  let ttlMs: number | undefined;
  if (ttlNode) {
    const raw = isScalar(ttlNode) ? ttlNode.value : undefined;
    const ms = typeof raw === 'number' ? raw * 1000 : typeof raw === 'string' ? parseDurationMs(raw) : undefined;
    if (ms === undefined || !Number.isFinite(ms) || ms < 1 || !Number.isInteger(ms)) {
      throw loc.at(ttlNode, `${at}.ttl`, `want a positive number of seconds or a duration like 1h (got ${JSON.stringify(raw ?? null)})`);
    }
    ttlMs = ms;
  }
  return { ...value, key, line: loc.line(node), ...(ttlMs !== undefined ? { ttlMs } : {}) } as Entry;
}

function scalarBytes(node: Node | null | undefined, at: string, loc: Locator): Buffer {
  if (!isScalar(node) || node.value === null || node.value === undefined) throw loc.at(node, at, 'want a string, number or boolean');
  const v = node.value;
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return Buffer.from(String(v), 'utf8');
  throw loc.at(node, at, 'want a string, number or boolean');
}

function parseValue(type: EntryType, node: Node, at: string, loc: Locator): EntryValue {
  switch (type) {
    case 'string':
      if (isMap(node) || isSeq(node)) return { type, value: Buffer.from(JSON.stringify(node.toJSON()), 'utf8') };
      return { type, value: scalarBytes(node, at, loc) };
    case 'hash': {
      if (!isMap(node) || node.items.length === 0) throw loc.at(node, at, 'want a non-empty map of field: value');
      return {
        type,
        value: node.items.map((p) => {
          const f = scalarBytes(p.key as Node, `${at}.(field)`, loc).toString('utf8');
          return [f, scalarBytes(p.value as Node, `${at}.${f}`, loc)] as [string, Buffer];
        }),
      };
    }
    case 'list':
    case 'set': {
      if (!isSeq(node) || node.items.length === 0) throw loc.at(node, at, 'want a non-empty list');
      const items = node.items.map((n, i) => scalarBytes(n as Node, `${at}[${i}]`, loc));
      if (type === 'list') return { type, value: items };
      const unique = [...new Map(items.map((b) => [b.toString('base64'), b])).values()];
      return { type, value: unique };
    }
    case 'zset': {
      const members: Array<{ member: string; score: number }> = [];
      if (isMap(node) && node.items.length > 0) {
        for (const p of node.items) {
          const member = scalarBytes(p.key as Node, `${at}.(member)`, loc).toString('utf8');
          members.push({ member, score: score(p.value as Node, `${at}.${member}`, loc) });
        }
      } else if (isSeq(node) && node.items.length > 0) {
        node.items.forEach((n, i) => {
          if (!isMap(n)) throw loc.at(n as Node, `${at}[${i}]`, 'want {member, score}');
          const m = n.get('member', true) as Node | undefined;
          members.push({
            member: scalarBytes(m ?? n, `${at}[${i}].member`, loc).toString('utf8'),
            score: score(n.get('score', true) as Node, `${at}[${i}].score`, loc),
          });
        });
      } else throw loc.at(node, at, 'want a non-empty map of member: score, or a list of {member, score}');
      return { type, value: members };
    }
  }
}

function score(node: Node | undefined, at: string, loc: Locator): number {
  if (!isScalar(node) || typeof node.value !== 'number' || !Number.isFinite(node.value)) throw loc.at(node ?? null, at, 'want a number');
  return node.value;
}
