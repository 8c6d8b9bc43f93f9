// Loads entries into Redis idempotently, in three pipelined phases:
//   1. read:   one pipeline fetching value and expiry of every key;
//   2. write:  one MULTI/EXEC with only the entries that are not current (replaced whole: DEL + write
//              + expiry), so the writes land together or not at all;
//   3. verify: read the written keys again and require every entry to be in place.
// "Current" = same type, same content (set/zset order-insensitive) and the same expiry kind (a TTL
// when one is asked for, none otherwise). A current key is left alone, TTL included, so re-running the
// warmer on every pod start changes nothing.
import type { ChainableCommander, Redis } from 'ioredis';
import type { Entry } from './entries.js';

export type Outcome = 'loaded' | 'current' | 'would-load';

export interface EntryResult {
  entry: Entry;
  outcome?: Outcome;
  failure?: string;
}

interface Observed {
  /** PTTL: -2 missing, -1 no expiry, else milliseconds left. */
  pttl: number;
  /** The key exists with another Redis type (the typed read answered WRONGTYPE). */
  wrongType: boolean;
  value: unknown;
}

/** Two commands per entry, no TYPE: the typed read itself says WRONGTYPE, and PTTL -2 says missing. */
async function observe(redis: Redis, entries: Entry[]): Promise<Array<Observed | Error>> {
  const p = redis.pipeline();
  for (const e of entries) {
    switch (e.type) {
      case 'string':
        p.getBuffer(e.key);
        break;
      case 'hash':
        p.hgetallBuffer(e.key);
        break;
      case 'list':
        p.lrangeBuffer(e.key, 0, -1);
        break;
      case 'set':
        p.smembersBuffer(e.key);
        break;
      case 'zset':
        p.zrange(e.key, 0, -1, 'WITHSCORES');
        break;
    }
    p.pttl(e.key);
  }
  const replies = (await p.exec()) ?? [];
  return entries.map((_e, i) => {
    const [vErr, value] = replies[i * 2] ?? [new Error('no reply'), null];
    const [pErr, pttl] = replies[i * 2 + 1] ?? [new Error('no reply'), null];
    if (pErr) return pErr;
    const wrongType = vErr !== null && /^WRONGTYPE/.test(vErr.message);
    if (vErr && !wrongType) return vErr;
    return { pttl: Number(pttl), wrongType, value: wrongType ? undefined : value };
  });
}

function sameBuffers(a: Buffer[], b: Buffer[], ordered: boolean): boolean {
  if (a.length !== b.length) return false;
  if (ordered) return a.every((x, i) => x.equals(b[i] as Buffer));
  const key = (x: Buffer) => x.toString('base64');
  const want = new Set(a.map(key));
  return b.every((x) => want.has(key(x)));
}

/** Why the observed key differs from the entry, or undefined when it is current. */
export function difference(e: Entry, o: Observed): string | undefined {
  if (o.pttl === -2) return 'missing';
  if (o.wrongType) return `holds another type, want ${e.type}`;
  if (e.ttlMs !== undefined && o.pttl < 0) return 'no expiry, want one';
  if (e.ttlMs === undefined && o.pttl >= 0) return 'has an expiry, want none';
  switch (e.type) {
    case 'string':
      return Buffer.isBuffer(o.value) && o.value.equals(e.value) ? undefined : 'value differs';
    case 'hash': {
      const got = (o.value ?? {}) as Record<string, Buffer>;
      if (Object.keys(got).length !== e.value.length) return 'fields differ';
      return e.value.every(([f, v]) => got[f]?.equals(v)) ? undefined : 'fields differ';
    }
    case 'list':
      return sameBuffers(e.value, (o.value ?? []) as Buffer[], true) ? undefined : 'items differ';
    case 'set':
      return sameBuffers(e.value, (o.value ?? []) as Buffer[], false) ? undefined : 'members differ';
    case 'zset': {
      const flat = (o.value ?? []) as string[];
      const got = new Map<string, number>();
      for (let i = 0; i + 1 < flat.length; i += 2) got.set(flat[i] as string, Number(flat[i + 1]));
      if (got.size !== e.value.length) return 'members differ';
      return e.value.every((m) => got.get(m.member) === m.score) ? undefined : 'members or scores differ';
    }
  }
}

function queueWrite(m: ChainableCommander, e: Entry): void {
  if (e.type === 'string') {
    if (e.ttlMs !== undefined) m.set(e.key, e.value, 'PX', e.ttlMs);
    else m.set(e.key, e.value);
    return;
  }
  m.del(e.key);
  switch (e.type) {
    case 'hash':
      m.hset(e.key, ...e.value.flat());
      break;
    case 'list':
      m.rpush(e.key, ...e.value);
      break;
    case 'set':
      m.sadd(e.key, ...e.value);
      break;
    case 'zset':
      m.zadd(e.key, ...e.value.flatMap((x) => [x.score, x.member]));
      break;
  }
  if (e.ttlMs !== undefined) m.pexpire(e.key, e.ttlMs);
}

export async function warm(
  redis: Redis,
  entries: Entry[],
  opts: { dryRun: boolean },
): Promise<EntryResult[]> {
  const before = await observe(redis, entries);
  const results: EntryResult[] = entries.map((entry, i) => {
    const o = before[i] as Observed | Error;
    if (o instanceof Error) return { entry, failure: o.message };
    return difference(entry, o) === undefined ? { entry, outcome: 'current' } : { entry };
  });
  const pending = results.filter((r) => !r.outcome && !r.failure);
  if (opts.dryRun) {
    for (const r of pending) r.outcome = 'would-load';
    return results;
  }
  if (pending.length > 0) {
    const m = redis.multi();
    for (const r of pending) queueWrite(m, r.entry);
    try {
      const replies = (await m.exec()) ?? [];
      const firstErr = replies.find(([err]) => err)?.[0];
      if (firstErr) for (const r of pending) r.failure = `write failed: ${firstErr.message}`;
    } catch (err) {
      // EXECABORT: Redis refused a queued command (OOM, READONLY, ...) and discarded the whole
      // transaction; the refusal itself is the useful reason.
      const e = err as Error & { previousErrors?: Error[] };
      const reason = e.previousErrors?.[0]?.message ?? e.message;
      for (const r of pending)
        r.failure = `write failed: ${reason}${e.previousErrors ? ' (transaction discarded)' : ''}`;
    }
  }
  // Verify what was written (current entries were just read and are not touched).
  const written = pending.filter((r) => !r.failure);
  const after =
    written.length > 0
      ? await observe(
          redis,
          written.map((r) => r.entry),
        )
      : [];
  written.forEach((r, i) => {
    const o = after[i] as Observed | Error;
    const diff = o instanceof Error ? o.message : difference(r.entry, o);
    if (diff !== undefined) r.failure = `not in place after writing: ${diff}`;
    else r.outcome = 'loaded';
  });
  return results;
}

/** One line per entry: outcome, key, type and size. */
export function describe(r: EntryResult): string {
  const e = r.entry;
  const size =
    e.type === 'string'
      ? `${e.value.length} bytes`
      : e.type === 'hash'
        ? `${e.value.length} fields`
        : `${e.value.length} ${e.type === 'list' ? 'items' : 'members'}`;
  const ttl =
    e.ttlMs !== undefined ? `, ttl ${e.ttlMs % 1000 === 0 ? `${e.ttlMs / 1000}s` : `${e.ttlMs}ms`}` : '';
  if (r.failure) return `failed   ${e.key} (${e.type}): ${r.failure}`;
  return `${(r.outcome as string).padEnd(8)} ${e.key} (${e.type}, ${size}${ttl})`;
}
