/**
 * Watch streams, as kube-apiserver serves them: one JSON event per line over a chunked
 * response that stays open until the client leaves or timeoutSeconds passes.
 *
 *  - resourceVersion absent or "0": synthetic ADDED events for the current state, then live.
 *  - resourceVersion N: only changes after N (never a replay of what the client has); N older
 *    than the retained history → a single ERROR event with a 410 Expired Status, then the end.
 *  - An object that starts matching the selectors arrives as ADDED, one that stops as DELETED
 *    (what the watch cache does), so `kubectl get -w -l ...` rows stay right.
 *
 * Subscribing and reading the history happen in the same tick: the store delivers events after
 * commit on a microtask and leaves undelivered ones out of `eventsSince`, so no event is lost
 * or doubled between the two.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isStoreError } from '../../store/errors.js';
import type { StoreEvent } from '../../store/types.js';
import { type LongTimeout, setLongTimeout } from '../../util/long-timeout.js';
import { compileFilter } from '../registry/filters.js';
import type { Registry } from '../registry/registry.js';
import type { VersionView } from '../registry/strategy.js';
import type { KubeObject, WatchEventType } from '../types.js';
import { parseResourceVersion } from './list-options.js';
import { contentTypeFor, type OutputShape } from './respond.js';
import { buildTable, type IncludeObject, partialObjectMetadata } from './table-response.js';

export interface WatchParams {
  resource: string;
  namespace: string;
  resourceVersion: string | null;
  labelSelector?: string;
  fieldSelector?: string;
  timeoutSeconds?: number;
  allowBookmarks: boolean;
  shape: OutputShape;
  includeObject: IncludeObject;
  /** Serve the objects in this other version of the kind (converted from the stored one). */
  view?: VersionView;
}

/** A watcher that cannot keep up (this much unsent) is closed; it re-lists and re-watches. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;
const BOOKMARK_INTERVAL_MS = 30_000;

export function serveWatch(
  registry: Registry,
  req: IncomingMessage,
  res: ServerResponse,
  p: WatchParams,
  clock: { now(): Date },
): void {
  const s = registry.strategy(p.resource);
  const store = registry.store;
  const filter = compileFilter(p.resource, {
    ...(p.labelSelector ? { labelSelector: p.labelSelector } : {}),
    ...(p.fieldSelector ? { fieldSelector: p.fieldSelector } : {}),
  });
  const inScope = (o: KubeObject | undefined): boolean =>
    !!o && (!p.namespace || o.metadata.namespace === p.namespace) && (!filter || filter(o));

  const since = parseResourceVersion(p.resourceVersion);

  res.writeHead(200, {
    'Content-Type': contentTypeFor(p.shape, false),
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  res.flushHeaders();

  let columnsSent = false;
  const encode = (type: WatchEventType, obj: KubeObject): string => {
    let object: unknown = obj;
    if (p.shape === 'Table' && type !== 'BOOKMARK' && type !== 'ERROR') {
      object = buildTable(
        s,
        [obj],
        clock.now(),
        obj.metadata.resourceVersion ?? '',
        p.includeObject,
        !columnsSent,
        p.view?.fromStored,
      );
      columnsSent = true;
    } else if (p.shape === 'PartialObjectMetadata' && type !== 'ERROR') {
      object = partialObjectMetadata(obj);
    } else if (p.view && type !== 'ERROR' && type !== 'BOOKMARK') {
      object = p.view.fromStored(obj);
    }
    return `${JSON.stringify({ type, object })}\n`;
  };

  let closed = false;
  const timers: NodeJS.Timeout[] = [];
  let timeout: LongTimeout | undefined;
  let unsubscribe = (): void => {};
  const close = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    timeout?.clear();
    res.end();
  };
  const write = (line: string): void => {
    if (closed) return;
    res.write(line);
    if (res.writableLength > MAX_BUFFERED_BYTES) close();
  };

  const deliver = (e: StoreEvent): void => {
    if (e.key.resource !== p.resource) return;
    const now = inScope(e.object);
    const before = e.type !== 'ADDED' && inScope(e.prevObject);
    let type: WatchEventType | null = null;
    if (e.type === 'DELETED') type = before || now ? 'DELETED' : null;
    else if (e.type === 'ADDED') type = now ? 'ADDED' : null;
    else if (now && before) type = 'MODIFIED';
    else if (now) type = 'ADDED';
    else if (before) type = 'DELETED';
    if (type) write(encode(type, e.object));
  };

  let backlog: StoreEvent[] = [];
  try {
    if (since !== null) backlog = store.eventsSince(since);
  } catch (e) {
    if (isStoreError(e, 'Compacted') || isStoreError(e, 'FutureRevision')) {
      const status = {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `too old resource version: ${since} (${store.compactRevision + 1})`,
        reason: 'Expired',
        code: 410,
      };
      if (isStoreError(e, 'FutureRevision')) {
        status.message = `Timeout: Too large resource version: ${since}, current: ${store.revision}`;
        status.reason = 'Timeout';
        status.code = 504;
      }
      res.write(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
      res.end();
      return;
    }
    throw e;
  }
  unsubscribe = store.subscribe(deliver);
  if (since === null) {
    for (const o of registry.listStored(p.resource, { namespace: p.namespace })) {
      if (inScope(o.object)) write(encode('ADDED', o.object));
    }
  } else {
    for (const e of backlog) deliver(e);
  }

  if (p.timeoutSeconds && p.timeoutSeconds > 0) timeout = setLongTimeout(close, p.timeoutSeconds * 1000);
  if (p.allowBookmarks) {
    const bookmark = (): void => {
      const info = p.view?.info ?? s.info;
      const { apiVersion, kind } = {
        apiVersion: info.group ? `${info.group}/${info.version}` : info.version,
        kind: info.kind,
      };
      write(
        `${JSON.stringify({ type: 'BOOKMARK', object: { kind, apiVersion, metadata: { resourceVersion: String(store.revision) } } })}\n`,
      );
      timers.push(setTimeout(bookmark, BOOKMARK_INTERVAL_MS).unref());
    };
    timers.push(setTimeout(bookmark, BOOKMARK_INTERVAL_MS).unref());
  }
  req.on('close', close);
  res.on('close', close);
  res.on('error', close);
}
