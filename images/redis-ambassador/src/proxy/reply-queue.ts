/**
 * Keeps one client's replies in request order. Each command gets a slot when it is dispatched; backends
 * fill slots in whatever order they answer (a replica may answer before the master); the queue writes
 * replies out only from the head, so a pipeline that spans master and replicas is answered in order.
 *
 * Contract: `onFlushed` runs after any flush that emptied space (the session uses it to resume reading
 * and to release barriers). Writes within one tick are corked together into one writev.
 */
import type { ReplyWaiter } from '../backend/backend-connection.js';
import { errorReply } from '../errors.js';
import type { MetricRoute, Metrics } from '../observe/metrics.js';
import { Deque } from '../util/deque.js';

/** One owed reply. Implements ReplyWaiter so a backend connection can fill it directly. */
export class ReplySlot implements ReplyWaiter {
  reply: Buffer | null = null;
  backend = 'ambassador';
  route: MetricRoute = 'local';
  readonly startedAt = performance.now();

  constructor(private readonly queue: ReplyQueue) {}

  fill(reply: Buffer): void {
    if (this.reply !== null) return;
    this.reply = reply;
    this.queue.filled(this);
  }

  fillError(text: string): void {
    this.fill(errorReply(text));
  }

  onReply(reply: Buffer): void {
    this.fill(reply);
  }

  onError(text: string): void {
    this.fill(errorReply(text));
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
  /** Set once the client is gone: fills are ignored. */
  closed = false;

  constructor(
    private readonly sink: ReplySink,
    private readonly metrics: Metrics,
    private readonly onFlushed: (outputFull: boolean) => void,
  ) {}

  get length(): number {
    return this.slots.length;
  }

  add(): ReplySlot {
    const slot = new ReplySlot(this);
    this.slots.push(slot);
    return slot;
  }

  filled(slot: ReplySlot): void {
    if (this.closed || this.slots.peek() !== slot) return;
    let outputFull = false;
    for (let head = this.slots.peek(); head?.reply; head = this.slots.peek()) {
      this.slots.shift();
      if (!this.corked) {
        this.corked = true;
        this.sink.cork();
        process.nextTick(() => {
          this.corked = false;
          this.sink.uncork();
        });
      }
      if (!this.sink.write(head.reply)) outputFull = true;
      this.metrics.record(head.backend, head.route, head.reply[0] === 45, (performance.now() - head.startedAt) / 1000);
    }
    this.onFlushed(outputFull);
  }
}
