/**
 * Delivers batches to one sink, in order, at least once, with memory bounded.
 *
 * A batch is "safe" once the sink accepted it or it sits in this output's disk buffer; `onSafe`
 * tells the CheckpointTracker, which only then lets the file offsets move past it.
 *
 *   healthy:  enqueue → memory (≤ max_memory_batches; a full queue makes enqueue wait) → send → safe
 *   failing:  first retryable error → memory batches spill to disk (safe now) → enqueue goes to disk
 *             → worker retries the oldest disk batch with exponential backoff → when it succeeds,
 *             the disk buffer drains in order, then memory is used again
 *   disk full: enqueue waits — the reading loop stops reading (backpressure), nothing is dropped
 *
 * Ordering invariant: memory is used only while the disk buffer is empty, so every memory batch
 * is older than every disk batch, and the worker sends memory first.
 */
import type { BufferConfig, RetryConfig } from '../config/types.js';
import { SinkError } from '../errors.js';
import type { OutputStats } from '../metrics/stats.js';
import { type Batch, batchFromRecords, batchRecords } from '../pipeline/batch.js';
import type { Sink } from './sink.js';
import { Spool } from './spool.js';

export interface OutputQueueDeps {
  readonly sink: Sink;
  readonly spool: Spool;
  readonly buffer: BufferConfig;
  readonly retry: RetryConfig;
  readonly stats: OutputStats;
  readonly onSafe: (seq: number) => void;
  readonly log: (level: 'info' | 'warn' | 'error', msg: string) => void;
}

export class OutputQueue {
  readonly #d: OutputQueueDeps;
  readonly #memory: Batch[] = [];
  #failures = 0;
  #stopping = false;
  #stopped = false;
  /** Resolvers waiting for any change (a batch sent, spilled, or the queue stopping). */
  #waiters: Array<() => void> = [];
  #worker: Promise<void> | null = null;
  /** Ends the current backoff wait early (on stop). */
  #wakeBackoff: (() => void) | null = null;

  constructor(deps: OutputQueueDeps) {
    this.#d = deps;
    this.#updateStats();
  }

  get name(): string {
    return this.#d.sink.name;
  }

  start(): void {
    this.#worker ??= this.#run();
  }

  /** Resolves once the batch is held (memory or disk). Waits while both are full (backpressure). */
  async enqueue(batch: Batch): Promise<void> {
    for (;;) {
      const spoolEmpty = this.#d.spool.count === 0;
      if (
        spoolEmpty &&
        this.#failures === 0 &&
        !this.#stopping &&
        this.#memory.length < this.#d.buffer.maxMemoryBatches
      ) {
        this.#memory.push(batch);
        this.#changed();
        return;
      }
      const useDisk = this.#failures > 0 || !spoolEmpty || this.#stopping;
      if (
        useDisk &&
        this.#d.spool.bytes + Spool.sizeOf(batch) <= this.#d.buffer.maxDiskBytes &&
        this.#spill(batch)
      ) {
        this.#changed();
        return;
      }
      if (this.#stopped) return; // not safe: its lines are read again after the restart
      await this.#nextChange();
    }
  }

  /**
   * Stops after delivering what it can within `graceMs`; whatever is left in memory then goes to
   * the disk buffer so the checkpoint can cover it. Safe to call twice.
   */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    const deadline = Date.now() + graceMs;
    while (this.#memory.length > 0 && this.#failures === 0 && Date.now() < deadline) {
      this.#changed();
      await Promise.race([this.#nextChange(), sleep(Math.max(1, deadline - Date.now()))]);
    }
    while (this.#memory.length > 0 && this.#spill(this.#memory[0]!)) this.#memory.shift();
    this.#stopped = true;
    this.#wakeBackoff?.();
    this.#changed();
    await this.#d.sink.close();
    this.#updateStats();
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const fromMemory = this.#memory[0];
      let fromDisk: ReturnType<Spool['peek']> = null;
      try {
        fromDisk = fromMemory ? null : this.#d.spool.peek();
      } catch (err) {
        const name = this.#d.spool.quarantineHead();
        this.#d.log('error', `${this.name}: ${(err as Error).message}; moved aside as ${name}.damaged`);
        continue;
      }
      const batch = fromMemory ?? fromDisk?.batch;
      if (!batch) {
        await this.#nextChange();
        continue;
      }
      try {
        const { rejected } = await this.#d.sink.send(batch);
        // Stopped meanwhile: memory was spilled to disk, so this batch is re-sent after the restart.
        if (this.#stopped) break;
        this.#d.stats.shipped += batch.count - rejected;
        this.#d.stats.rejected += rejected;
        this.#accepted(fromMemory, fromDisk?.name);
        if (this.#failures > 0)
          this.#d.log('info', `${this.name}: delivering again after ${this.#failures} failed attempts`);
        this.#failures = 0;
        this.#d.stats.up = true;
      } catch (err) {
        if (this.#stopped) break;
        const e = err instanceof SinkError ? err : new SinkError(true, String(err), { cause: err });
        this.#d.stats.lastError = e.message;
        if (!e.retryable) {
          this.#d.log('error', `${e.message}; ${batch.count} records dropped as undeliverable`);
          this.#d.stats.rejected += batch.count;
          this.#accepted(fromMemory, fromDisk?.name);
          continue;
        }
        if (e.retryOnly) this.#narrow(batch, e.retryOnly, fromMemory, fromDisk?.name);
        this.#failures += 1;
        this.#d.stats.retries += 1;
        this.#d.stats.up = false;
        if (this.#failures === 1) this.#d.log('warn', `${e.message}; buffering on disk and retrying`);
        // Everything held in memory goes to disk now, so the checkpoint can move past it.
        while (this.#memory.length > 0 && !this.#stopping && this.#spill(this.#memory[0]!))
          this.#memory.shift();
        this.#updateStats();
        await this.#backoff();
      }
    }
  }

  #accepted(fromMemory: Batch | undefined, diskName: string | undefined): void {
    if (fromMemory) {
      this.#memory.shift();
      this.#d.onSafe(fromMemory.seq);
    } else if (diskName !== undefined) {
      this.#d.spool.removeHead(diskName);
    }
    this.#updateStats();
    this.#changed();
  }

  /** Keeps only the records at `indexes` (the rest were accepted). */
  #narrow(batch: Batch, indexes: readonly number[], fromMemory: Batch | undefined, diskName?: string): void {
    const all = batchRecords(batch);
    const narrowed = batchFromRecords(
      batch.seq,
      indexes.map((i) => all[i]!),
      indexes.map((i) => batch.times[i]!),
    );
    this.#d.stats.shipped += batch.count - narrowed.count;
    if (fromMemory) this.#memory[0] = narrowed;
    else if (diskName !== undefined) this.#d.spool.replaceHead(diskName, narrowed);
  }

  /** Writes a batch to disk and marks it safe; false when the disk write failed (e.g. ENOSPC). */
  #spill(batch: Batch): boolean {
    if (this.#d.spool.bytes + Spool.sizeOf(batch) > this.#d.buffer.maxDiskBytes) return false;
    try {
      this.#d.spool.append(batch);
    } catch (err) {
      this.#d.log('error', `${this.name}: ${(err as Error).message}`);
      return false;
    }
    this.#d.onSafe(batch.seq);
    this.#updateStats();
    return true;
  }

  #backoff(): Promise<void> {
    const { initialBackoffMs, maxBackoffMs } = this.#d.retry;
    const ceiling = Math.min(maxBackoffMs, initialBackoffMs * 2 ** Math.min(30, this.#failures - 1));
    // Equal jitter: at least half the step, so retries stay spread without collapsing to zero.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#wakeBackoff?.(), delay);
      this.#wakeBackoff = () => {
        clearTimeout(timer);
        this.#wakeBackoff = null;
        resolve();
      };
    });
  }

  #updateStats(): void {
    this.#d.stats.memoryBatches = this.#memory.length;
    this.#d.stats.diskBatches = this.#d.spool.count;
    this.#d.stats.diskBytes = this.#d.spool.bytes;
  }

  #nextChange(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #changed(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
