/**
 * The object store: the source of truth for every API object and the only assigner of
 * resourceVersion. Shaped like kine (k3s's etcd shim) but for one process:
 *
 *  - One append-only table, `log`. Its AUTOINCREMENT rowid is the global revision, which the API
 *    serves as resourceVersion. Every write (create, update, delete tombstone) appends a row, in
 *    one SQLite transaction, so nothing half-written is ever read back.
 *  - A UNIQUE index on (key, prev_rev) is the compare-and-swap: two writers that start from the
 *    same revision cannot both commit, even if the in-memory check were ever bypassed.
 *  - The current state is also held in memory (the "watch cache"), loaded once at open, so reads
 *    and lists never touch SQLite. Each entry keeps its JSON text so lists are served without
 *    re-encoding.
 *  - Watchers are fed in process after commit, in revision order, from a bounded history ring;
 *    no polling. A resume below the ring's start is `Compacted` (the API answers 410 Expired).
 *  - Compaction drops superseded rows and tombstones at or below the compact revision, always
 *    keeping each key's newest row at or below it, so the predecessor of every retained event
 *    is still there after a restart.
 *
 * Durability: WAL with synchronous=NORMAL. A commit is in the WAL (in the OS) before the write
 * returns, so every acknowledged write survives `kill -9` of the server; only a power loss can
 * lose the last transactions, which is the same trade etcd's default batching makes.
 */
import Database from 'better-sqlite3';
import type { KubeObject } from '../api/types.js';
import { StoreError } from './errors.js';
import { keyString, type ObjectKey, type StoredObject, type StoreEvent } from './types.js';

export interface StoreOptions {
  /** SQLite file path; ':memory:' for tests that need no persistence. */
  path: string;
  /** Events kept for watch resume (and replayed from disk after a restart). */
  historySize?: number;
  /**
   * And at most about this many bytes of them (objects as JSON): 5,000 events of 3 MiB bodies would
   * otherwise hold 15 GiB. A watch resuming from before the retained history gets 410 Gone and
   * relists, as with kube-apiserver's bounded watch cache.
   */
  historyBytes?: number;
}

/** Default byte budget of the watch history. */
export const DEFAULT_HISTORY_BYTES = 256 * 1024 * 1024;

interface LogRow {
  rev: number;
  resource: string;
  namespace: string;
  name: string;
  created: number;
  deleted: number;
  prev_rev: number;
  value: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS log (
  rev INTEGER PRIMARY KEY AUTOINCREMENT,
  resource TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  prev_rev INTEGER NOT NULL,
  value TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS log_cas ON log(resource, namespace, name, prev_rev);
CREATE INDEX IF NOT EXISTS log_key_rev ON log(resource, namespace, name, rev);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** Parses a stored value and stamps the revision it was read at. */
function materialise(value: string, revision: number): StoredObject {
  const object = JSON.parse(value) as KubeObject;
  object.metadata.resourceVersion = String(revision);
  return { object, json: JSON.stringify(object), revision };
}

/** The stored form leaves resourceVersion out: the row's rev is the resourceVersion. */
function serialiseForStorage(obj: KubeObject): string {
  const { resourceVersion: _rv, ...meta } = obj.metadata;
  return JSON.stringify({ ...obj, metadata: meta });
}

export class Store {
  readonly #db: Database.Database;
  /** resource → "namespace/name" → current object. */
  readonly #objects = new Map<string, Map<string, StoredObject>>();
  readonly #history: StoreEvent[] = [];
  /** JSON size of each event in #history (same index), and their sum. */
  readonly #historySizes: number[] = [];
  #historyTotal = 0;
  readonly #historySize: number;
  readonly #historyBytes: number;
  readonly #listeners = new Set<(e: StoreEvent) => void>();
  /** Events committed but not yet delivered: delivery is async and ordered, so a listener that
   * writes from inside its callback never re-enters another listener. */
  readonly #pending: StoreEvent[] = [];
  #flushScheduled = false;
  #revision = 0;
  #compactRevision = 0;
  readonly #stmt: {
    insert: Database.Statement;
    setMeta: Database.Statement;
    lastRev: Database.Statement;
  };

  private constructor(db: Database.Database, historySize: number, historyBytes: number) {
    this.#db = db;
    this.#historySize = historySize;
    this.#historyBytes = historyBytes;
    this.#stmt = {
      insert: db.prepare(
        'INSERT INTO log (resource, namespace, name, created, deleted, prev_rev, value) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      lastRev: db.prepare('SELECT MAX(rev) AS r FROM log WHERE resource = ? AND namespace = ? AND name = ?'),
      setMeta: db.prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ),
    };
  }

  static open(opts: StoreOptions): Store {
    const db = new Database(opts.path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    const store = new Store(db, opts.historySize ?? 5000, opts.historyBytes ?? DEFAULT_HISTORY_BYTES);
    store.#load();
    return store;
  }

  #load(): void {
    const seq = this.#db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'log'").get() as
      | { seq: number }
      | undefined;
    this.#revision = seq?.seq ?? 0;
    const compact = this.#db.prepare("SELECT value FROM meta WHERE key = 'compact_rev'").get() as
      | { value: string }
      | undefined;
    this.#compactRevision = compact ? Number(compact.value) : 0;

    const current = this.#db
      .prepare(
        `SELECT l.* FROM log l JOIN (SELECT MAX(rev) AS r FROM log GROUP BY resource, namespace, name) m
         ON l.rev = m.r WHERE l.deleted = 0`,
      )
      .all() as LogRow[];
    for (const row of current) {
      this.#bucket(row.resource).set(`${row.namespace}/${row.name}`, materialise(row.value, row.rev));
    }

    // Refill the watch history from the log so a client can resume across a server restart.
    const from = Math.max(this.#compactRevision, this.#revision - this.#historySize);
    const rows = this.#db.prepare('SELECT * FROM log WHERE rev > ? ORDER BY rev').all(from) as LogRow[];
    const prevStmt = this.#db.prepare('SELECT * FROM log WHERE rev = ?');
    for (const row of rows) {
      const prev = row.prev_rev > 0 ? (prevStmt.get(row.prev_rev) as LogRow | undefined) : undefined;
      this.#remember(row.value.length + (prev ? prev.value.length : 0), {
        type: row.created ? 'ADDED' : row.deleted ? 'DELETED' : 'MODIFIED',
        key: { resource: row.resource, namespace: row.namespace, name: row.name },
        revision: row.rev,
        object: materialise(row.value, row.rev).object,
        ...(prev && !prev.deleted && !row.created
          ? { prevObject: materialise(prev.value, prev.rev).object }
          : {}),
      });
    }
    if (this.#history.length === 0 || this.#history[0]!.revision > from + 1) {
      // Rows between `from` and the first retained one were compacted away: resume starts after them.
      this.#compactRevision = Math.max(
        this.#compactRevision,
        (this.#history[0]?.revision ?? this.#revision + 1) - 1,
      );
    } else {
      this.#compactRevision = from;
    }
  }

  /** Appends to the watch history, trimming its oldest events past the count or byte budget. */
  #remember(bytes: number, event: StoreEvent): void {
    this.#history.push(event);
    this.#historySizes.push(bytes);
    this.#historyTotal += bytes;
    if (this.#history.length <= this.#historySize * 1.25 && this.#historyTotal <= this.#historyBytes) return;
    // Trim in bulk (to the count, and to 80 % of the bytes): shifting one element per write would be
    // O(n) on every write. The newest event always stays.
    let drop = Math.max(0, this.#history.length - this.#historySize);
    let total = this.#historyTotal;
    for (let i = 0; i < drop; i++) total -= this.#historySizes[i]!;
    while (total > this.#historyBytes * 0.8 && drop < this.#history.length - 1)
      total -= this.#historySizes[drop++]!;
    if (drop === 0) return;
    this.#compactRevision = Math.max(this.#compactRevision, this.#history[drop - 1]!.revision);
    this.#history.splice(0, drop);
    this.#historySizes.splice(0, drop);
    this.#historyTotal = total;
  }

  #bucket(resource: string): Map<string, StoredObject> {
    let b = this.#objects.get(resource);
    if (!b) {
      b = new Map();
      this.#objects.set(resource, b);
    }
    return b;
  }

  /** The newest committed revision: what a list's resourceVersion is. */
  get revision(): number {
    return this.#revision;
  }

  /** Watches may resume from any revision at or above this one. */
  get compactRevision(): number {
    return this.#compactRevision;
  }

  /** The cached object; callers must not mutate it (clone first). */
  get(key: ObjectKey): StoredObject | undefined {
    return this.#objects.get(key.resource)?.get(`${key.namespace}/${key.name}`);
  }

  /** Current objects of one resource, optionally in one namespace, sorted by namespace then name (as etcd keys sort). */
  list(resource: string, namespace?: string): StoredObject[] {
    const bucket = this.#objects.get(resource);
    if (!bucket) return [];
    const out: StoredObject[] = [];
    const prefix = namespace ? `${namespace}/` : '';
    for (const [k, v] of bucket) if (k.startsWith(prefix)) out.push(v);
    return out.sort((a, b) => {
      const an = `${a.object.metadata.namespace ?? ''}/${a.object.metadata.name}`;
      const bn = `${b.object.metadata.namespace ?? ''}/${b.object.metadata.name}`;
      return an < bn ? -1 : an > bn ? 1 : 0;
    });
  }

  /** Number of objects of one resource (cheap; for metrics and quotas). */
  count(resource: string): number {
    return this.#objects.get(resource)?.size ?? 0;
  }

  create(key: ObjectKey, obj: KubeObject): StoredObject {
    const existing = this.get(key);
    if (existing) throw new StoreError('Exists', `${keyString(key)} already exists`);
    // prev_rev links a re-create to the tombstone before it, keeping the CAS index unique.
    const tomb = this.#stmt.lastRev.get(key.resource, key.namespace, key.name) as { r: number | null };
    return this.#append(key, obj, 'ADDED', tomb.r ?? 0, undefined);
  }

  /** Replaces the object. `expectedRevision`, when given, must be the stored one (else Conflict). */
  update(key: ObjectKey, obj: KubeObject, expectedRevision?: number): StoredObject {
    const existing = this.get(key);
    if (!existing) throw new StoreError('NotFound', `${keyString(key)} not found`);
    if (expectedRevision !== undefined && expectedRevision !== existing.revision) {
      throw new StoreError(
        'Conflict',
        `${keyString(key)} is at revision ${existing.revision}, not ${expectedRevision}`,
      );
    }
    return this.#append(key, obj, 'MODIFIED', existing.revision, existing.object);
  }

  /** Removes the object; returns it as last stored, stamped with the deletion's revision. */
  delete(key: ObjectKey, expectedRevision?: number): StoredObject {
    const existing = this.get(key);
    if (!existing) throw new StoreError('NotFound', `${keyString(key)} not found`);
    if (expectedRevision !== undefined && expectedRevision !== existing.revision) {
      throw new StoreError(
        'Conflict',
        `${keyString(key)} is at revision ${existing.revision}, not ${expectedRevision}`,
      );
    }
    const tombstone = structuredClone(existing.object);
    return this.#append(key, tombstone, 'DELETED', existing.revision, existing.object);
  }

  #append(
    key: ObjectKey,
    obj: KubeObject,
    type: StoreEvent['type'],
    prevRev: number,
    prevObject: KubeObject | undefined,
  ): StoredObject {
    const value = serialiseForStorage(obj);
    let info: Database.RunResult;
    try {
      info = this.#stmt.insert.run(
        key.resource,
        key.namespace,
        key.name,
        type === 'ADDED' ? 1 : 0,
        type === 'DELETED' ? 1 : 0,
        prevRev,
        value,
      );
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new StoreError('Conflict', `${keyString(key)} was modified concurrently`);
      }
      throw e;
    }
    const revision = Number(info.lastInsertRowid);
    this.#revision = revision;
    obj.metadata.resourceVersion = String(revision);
    const stored: StoredObject = { object: obj, json: JSON.stringify(obj), revision };
    const bucket = this.#bucket(key.resource);
    if (type === 'DELETED') bucket.delete(`${key.namespace}/${key.name}`);
    else bucket.set(`${key.namespace}/${key.name}`, stored);

    const event: StoreEvent = { type, key, revision, object: obj, ...(prevObject ? { prevObject } : {}) };
    this.#remember(stored.json.length, event);
    this.#pending.push(event);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(() => this.#flush());
    }
    return stored;
  }

  #flush(): void {
    // Events appended by listeners during this loop are delivered in the same pass, in order.
    for (let i = 0; i < this.#pending.length; i++) {
      const ev = this.#pending[i]!;
      for (const l of this.#listeners) {
        try {
          l(ev);
        } catch (e) {
          // One broken listener must not starve the others or lose later events.
          process.emitWarning(`store listener failed: ${(e as Error).stack ?? e}`);
        }
      }
    }
    this.#pending.length = 0;
    this.#flushScheduled = false;
  }

  /**
   * Committed events with revision > `since`, oldest first. Throws Compacted when `since` is
   * older than the retained history, FutureRevision when it is newer than the store.
   */
  eventsSince(since: number): StoreEvent[] {
    if (since > this.#revision) {
      throw new StoreError('FutureRevision', `revision ${since} is in the future`, this.#revision);
    }
    if (since < this.#compactRevision) {
      throw new StoreError('Compacted', `revision ${since} has been compacted`, this.#compactRevision);
    }
    // Binary search: the history is sorted by revision.
    let lo = 0;
    let hi = this.#history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#history[mid]!.revision <= since) lo = mid + 1;
      else hi = mid;
    }
    // Events still waiting for delivery are excluded: a subscriber added now receives them live.
    const undelivered = this.#pending.length;
    return this.#history.slice(lo, this.#history.length - undelivered);
  }

  /** Live events after commit, in revision order. Returns the unsubscribe function (safe to call twice). */
  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /**
   * Drops superseded rows and tombstones at or below the compact revision (the start of the
   * in-memory history), keeping each key's newest row at or below it. Returns rows removed.
   */
  compact(): number {
    const c = this.#compactRevision;
    if (c <= 0) return 0;
    const res = this.#db
      .prepare(
        `DELETE FROM log WHERE rev <= ? AND (deleted = 1 OR EXISTS (
           SELECT 1 FROM log n WHERE n.resource = log.resource AND n.namespace = log.namespace
             AND n.name = log.name AND n.rev > log.rev AND n.rev <= ?))`,
      )
      .run(c, c);
    this.#stmt.setMeta.run('compact_rev', String(c));
    return res.changes;
  }

  /** Closes the database; the store must not be used afterwards. Safe to call twice. */
  close(): void {
    if (this.#db.open) this.#db.close();
    this.#listeners.clear();
  }
}
