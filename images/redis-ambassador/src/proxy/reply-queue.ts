/**
 * Keeps one client's replies in request order. Each dispatched request (one command, or a run of
 * consecutive commands for the same backend connection) gets a slot; backends fill slots in whatever
 * order they answer (a replica may answer before the master); the queue writes only from the head, so a
 * pipeline that spans master and replicas is answered in order. The head slot streams: its parts are
 * written as they arrive, so a large reply is never held whole.
 *
 * Contract: `onFlushed(outputFull)` runs after every flush. Writes within one tick are corked together
 * into one writev (a single buffer with nothing ready behind it is written at once).
 */
// The global `performance` is a lazy getter on globalThis in Node 20 (a getter call per read); the
// module binding is a plain object.
import { performance } from 'node:perf_hooks';
import type { ReplyWaiter } from '../backend/backend-connection.js';
import { errorReply } from '../errors.js';
import type { MetricRoute, Metrics } from '../observe/metrics.js';
import { Deque } from '../util/deque.js';

/** Whoever must hear that a slot's writes were answered (read-your-writes). */
export interface WritesListener {
  writesDone(count: number): void;
}

/** One owed request (of `count` commands). Implements ReplyWaiter so a backend can fill it directly. */
export class ReplySlot implements ReplyWaiter {
  /**
   * Reply bytes received and not yet written: almost always one buffer, so the first is kept apart and
   * an array is made only for a reply that arrives in several parts (no array per command).
   */
  first: Buffer | null = null;
  rest: Buffer[] | null = null;
  done = false;
  errors = 0;
  /** Set once any part arrived (a run can then no longer be retried elsewhere). */
  started = false;
  backend = 'ambassador';
  route: MetricRoute = 'local';
  /** Writes among this slot's commands, reported to `writesListener` once answered (or failed). */
  writes = 0;
  writesListener: WritesListener | null = null;
  readonly startedAt = performance.now();

  constructor(
    private readonly queue: ReplyQueue,
    readonly count: number,
  ) {}

  get hasParts(): boolean {
    return this.first !== null;
  }

  onReply(replies: Buffer, errors: number, last: boolean): void {
    if (this.done) return;
    this.started = true;
    this.push(replies);
    this.errors += errors;
    if (last) this.finish();
    this.queue.filled(this);
  }

  onError(text: string, owed: number): void {
    if (this.done) return;
    const e = errorReply(text);
    for (let i = 0; i < owed; i++) this.push(e);
    this.errors += owed;
    this.finish();
    this.queue.filled(this);
  }

  /** A whole single reply made by the ambassador. */
  fill(reply: Buffer): void {
    this.onReply(reply, reply[0] === 45 ? 1 : 0, true);
  }

  fillError(text: string): void {
    this.onError(text, 1);
  }

  /** Hands the parts received so far to `write`, oldest first, and forgets them. */
  drain(write: (b: Buffer) => void): void {
    const first = this.first;
    if (first === null) return;
    const rest = this.rest;
    this.first = null;
    this.rest = null;
    write(first);
    if (rest !== null) for (const b of rest) write(b);
  }

  private push(b: Buffer): void {
    if (this.first === null) this.first = b;
    else if (this.rest === null) this.rest = [b];
    else this.rest.push(b);
  }

  private finish(): void {
    this.done = true;
    // Before the reply is queued to the client, as the read that follows it must see the write.
    if (this.writes > 0) this.writesListener?.writesDone(this.writes);
  }
}

export interface ReplySink {
  /** Writes bytes to the client; returns false when the socket buffer is full. */
  write(b: Buffer): boolean;
  cork(): void;
  uncork(): void;
}

export class ReplyQueue {
  private readonly slots = new Deque<ReplySlot>();
  private corked = false;
  /** Commands dispatched and not yet fully answered (the pipeline bound counts these). */
  pendingCommands = 0;
  /** Set once the client is gone or the connection became a tunnel: fills are ignored. */
  closed = false;

  private outputFull = false;
  /** Made once (no closure per write): writes one part, noting a full socket buffer. */
  private readonly writePart = (b: Buffer): void => {
    if (!this.sink.write(b)) this.outputFull = true;
  };
  /** Made once: a closure per cork would be a new function each time, never optimised. */
  private readonly uncork = (): void => {
    this.corked = false;
    this.sink.uncork();
  };

  constructor(
    private readonly sink: ReplySink,
    private readonly metrics: Metrics,
    private readonly onFlushed: (outputFull: boolean) => void,
  ) {}

  /** Requests (not commands) waiting. */
  get length(): number {
    return this.slots.length;
  }

  add(count = 1): ReplySlot {
    const slot = new ReplySlot(this, count);
    this.slots.push(slot);
    this.pendingCommands += count;
    return slot;
  }

  filled(slot: ReplySlot): void {
    if (this.closed || this.slots.peek() !== slot) return;
    this.outputFull = false;
    for (let head = this.slots.peek(); head !== undefined; head = this.slots.peek()) {
      if (head.first !== null) {
        // One buffer and nothing ready behind it (the common case, unpipelined): write it now, without
        // corking until the next tick. Otherwise cork, so everything ready leaves in one writev.
        const alone = head.rest === null && (!head.done || !(this.slots.at(1)?.hasParts ?? false));
        if (!this.corked && !alone) {
          this.corked = true;
          this.sink.cork();
          process.nextTick(this.uncork);
        }
        head.drain(this.writePart);
      }
      if (!head.done) break;
      this.slots.shift();
      this.pendingCommands -= head.count;
      this.metrics.record(
        head.backend,
        head.route,
        head.count,
        head.errors,
        (performance.now() - head.startedAt) / 1000,
      );
    }
    this.onFlushed(this.outputFull);
  }
}
