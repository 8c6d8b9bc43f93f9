/**
 * Merging podbay's cluster, user and context into the user's kubeconfig, and taking them out
 * again, as `kind create cluster` / `kind delete cluster` do. Pure functions over the file's text:
 * the YAML document is edited in place, so every entry that is not podbay's keeps its data (and,
 * as far as the YAML library can, its comments and layout).
 *
 * Contract: podbay owns exactly the entries named by the data dir's kubeconfig (cluster `podbay`,
 * user `podbay-admin`, context `podbay`); nothing else in the file is added, changed or removed,
 * except `current-context`, which `merge` points at podbay's context and `unmerge` gives back.
 */
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import YAML, { type Document, isMap, isSeq, type YAMLSeq } from 'yaml';

/** The three named entries podbay contributes, as read from `<data dir>/kubeconfig`. */
export interface PodbayEntries {
  cluster: { name: string; cluster: unknown };
  user: { name: string; user: unknown };
  context: { name: string; context: unknown };
}

const LISTS = [
  ['clusters', 'cluster'],
  ['users', 'user'],
  ['contexts', 'context'],
] as const;

export class KubeconfigError extends Error {
  readonly code = 'PODBAY_KUBECONFIG';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`kubeconfig ${path}: ${detail}`);
  }
}

/**
 * The file kubectl reads first: the first entry of $KUBECONFIG when set (as kind writes to),
 * else ~/.kube/config.
 */
export function userKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const first = (env.KUBECONFIG ?? '').split(delimiter).find((p) => p !== '');
  return first ?? join(env.HOME ?? homedir(), '.kube', 'config');
}

/** Reads podbay's entries out of the kubeconfig the server wrote in its data dir. */
export function podbayEntries(serverKubeconfigText: string, path: string): PodbayEntries {
  const kc = YAML.parse(serverKubeconfigText) as Record<string, unknown> | null;
  const first = (key: string) => {
    const list = kc?.[key];
    const item = Array.isArray(list) ? (list[0] as Record<string, unknown> | undefined) : undefined;
    if (!item || typeof item.name !== 'string') throw new KubeconfigError(path, `no ${key}[0].name`);
    return item;
  };
  return {
    cluster: first('clusters') as PodbayEntries['cluster'],
    user: first('users') as PodbayEntries['user'],
    context: first('contexts') as PodbayEntries['context'],
  };
}

function parse(text: string, path: string): Document.Parsed {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) throw new KubeconfigError(path, `not valid YAML: ${doc.errors[0]!.message}`);
  // An empty file (or one of comments only) gets a block-style mapping, as kubectl writes.
  if (doc.contents === null) doc.contents = doc.createNode({}) as never;
  if (!isMap(doc.contents)) throw new KubeconfigError(path, 'the top level is not a mapping');
  return doc;
}

function list(doc: Document, key: string, path: string): YAMLSeq {
  const node = doc.get(key, true);
  // kubectl itself writes `clusters: null` for an empty list.
  if (node === undefined || node === null || (YAML.isScalar(node) && node.value === null)) {
    const seq = doc.createNode([]) as YAMLSeq;
    doc.set(key, seq);
    return seq;
  }
  if (!isSeq(node)) throw new KubeconfigError(path, `${key} is not a list`);
  return node;
}

function indexOfName(seq: YAMLSeq, name: string): number {
  return seq.items.findIndex((item) => isMap(item) && item.get('name') === name);
}

/**
 * A re-run keeps the namespace the user chose for podbay's context (`kubectl config set-context
 * --current --namespace=development`, as the seed's commands need): only cluster and user are
 * podbay's to reset.
 */
function keepNamespace(fresh: PodbayEntries['context'], existing: unknown): PodbayEntries['context'] {
  const old = (isMap(existing) ? existing.toJSON() : {}) as { context?: { namespace?: unknown } };
  const namespace = old.context?.namespace;
  if (typeof namespace !== 'string') return fresh;
  return { ...fresh, context: { ...(fresh.context as object), namespace } };
}

export interface MergeResult {
  text: string;
  /** The current-context before the merge, unless it already was podbay's (a re-run). */
  previousContext: string | undefined;
}

/**
 * Adds or replaces podbay's three entries and makes its context current. `text` undefined or
 * empty means the file does not exist yet; the result is then a complete kubeconfig.
 */
export function mergeKubeconfig(text: string | undefined, entries: PodbayEntries, path: string): MergeResult {
  const doc = parse(text ?? '', path);
  if (!doc.has('apiVersion')) doc.set('apiVersion', 'v1');
  if (!doc.has('kind')) doc.set('kind', 'Config');
  for (const [key, field] of LISTS) {
    const seq = list(doc, key, path);
    const at = indexOfName(seq, entries[field].name);
    const entry =
      at >= 0 && field === 'context' ? keepNamespace(entries.context, seq.items[at]) : entries[field];
    const node = doc.createNode(entry);
    if (at >= 0) seq.items[at] = node;
    else seq.items.push(node);
  }
  const current = doc.get('current-context');
  const previous = typeof current === 'string' && current !== '' ? current : undefined;
  doc.set('current-context', entries.context.name);
  return {
    text: doc.toString(),
    previousContext: previous === entries.context.name ? undefined : previous,
  };
}

/**
 * Removes podbay's entries (by name). If podbay's context was current, `restoreContext` becomes
 * current again when that context still exists; otherwise current-context is left empty, as
 * kubectl leaves it after `config delete-context`. A file without podbay's entries is returned as is.
 */
export function unmergeKubeconfig(
  text: string,
  names: { cluster: string; user: string; context: string },
  restoreContext: string | undefined,
  path: string,
): string {
  const doc = parse(text, path);
  let changed = false;
  for (const [key, field] of LISTS) {
    const node = doc.get(key, true);
    if (!isSeq(node)) continue;
    const at = indexOfName(node, names[field]);
    if (at >= 0) {
      node.items.splice(at, 1);
      changed = true;
    }
  }
  if (doc.get('current-context') === names.context) {
    changed = true;
    const contexts = doc.get('contexts', true);
    const restorable =
      restoreContext !== undefined && isSeq(contexts) && indexOfName(contexts, restoreContext) >= 0;
    doc.set('current-context', restorable ? restoreContext : '');
  }
  // Untouched input comes back byte for byte (no re-serialisation).
  return changed ? doc.toString() : text;
}

/**
 * True when the kubeconfig holds nothing a user put there: no cluster, user or context, no current
 * context, and no keys beyond apiVersion, kind and an empty `preferences`. `podbay down` deletes such a
 * file when `podbay up` created it (kind leaves an empty file behind; we leave the machine as we found it).
 */
export function isEmptyKubeconfig(text: string, path: string): boolean {
  const value = parse(text, path).toJS() as Record<string, unknown>;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    const empty =
      v === null ||
      v === '' ||
      (Array.isArray(v) && v.length === 0) ||
      (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
    if (!empty) return false;
  }
  return true;
}
