/**
 * The reading loop: the one owner of reading, parsing and batching. Files → lines → records →
 * batches → every output queue. One async loop, so no two reads or batch cuts ever interleave.
 *
 * Each round: rescan the globs if due (periodically, or at once when a watched directory changed),
 * read up to READS_PER_FILE chunks from each followed file, hand cut batches to the outputs (this
 * await is the backpressure: a full output stops the reading), close drained rotated files, cut
 * the open batch when batch.timeout passed. A round that read nothing sleeps until the poll
 * interval passes or a directory event wakes it.
 */
import type { ShipperConfig } from '../config/types.js';
import { type FileEvent, FileInput } from '../input/file-input.js';
import type { SplitLine } from '../input/line-splitter.js';
import type { Tailer } from '../input/tailer.js';
import type { Logger } from '../log.js';
import type { Stats } from '../metrics/stats.js';
import type { OutputQueue } from '../output/output-queue.js';
import { parserFor } from '../parse/parsers.js';
import type { CheckpointStore } from '../state/checkpoint-store.js';
import { CheckpointTracker } from '../state/checkpoint-tracker.js';
import { Batcher } from './batch.js';
import { RecordBuilder } from './record.js';

export interface PipelineDeps {
  readonly config: ShipperConfig;
  readonly store: CheckpointStore;
  readonly stats: Stats;
  readonly log: Logger;
  readonly outputs: readonly OutputQueue[];
}

/** Chunk size per read; also the most one file can add to memory between two dispatches. */
const READ_CHUNK_BYTES = 256 * 1024;
/** Chunks read from one file before moving to the next, so one busy file cannot starve the others. */
const READS_PER_FILE = 16;

export class Pipeline {
  readonly #d: PipelineDeps;
  readonly #inputs: FileInput[];
  readonly #builders = new Map<FileInput, RecordBuilder>();
  readonly #batcher: Batcher;
  readonly #tracker: CheckpointTracker;
  readonly #buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  #now = Date.now();
  #lastScan = 0;
  #scanDue = true;
  #stopping = false;
  #wake: (() => void) | null = null;
  #loop: Promise<void> | null = null;
  #lastRoundAt = Date.now();
  #nextId = 0;
  #waitingOnOutputs = false;

  constructor(deps: PipelineDeps) {
    this.#d = deps;
    const { config } = deps;
    this.#batcher = new Batcher(config.batch.maxEvents, config.batch.maxBytes);
    this.#tracker = new CheckpointTracker(deps.store, (batch) => {
      if (batch.body) this.#batcher.release(batch.body);
    });
    this.#inputs = config.inputs.map((input) => {
      const fi: FileInput = new FileInput({
        config: input,
        store: deps.store,
        onLine: (tailer, line) => this.#onLine(fi, tailer, line),
        onIdentity: (tailer) => {
          this.#batcher.identify(tailer.id, tailer.fingerprint);
          this.#batcher.advance(tailer.id, tailer.committedOffset);
        },
        onFileEvent: (e) => this.#onFileEvent(e),
        wake: (rescan) => {
          if (rescan) this.#scanDue = true;
          this.#wake?.();
        },
        nextId: () => `f${++this.#nextId}`,
      });
      this.#builders.set(fi, new RecordBuilder(parserFor(input.parser), config.enrich, config.keepRaw));
      return fi;
    });
  }

  /** The CheckpointTracker that output queues report safe batches to. */
  get tracker(): CheckpointTracker {
    return this.#tracker;
  }

  /**
   * Ms since the loop last made progress. Waiting for the outputs (backpressure while a sink is
   * down) counts as alive: restarting the shipper would not bring the sink back.
   */
  loopAgeMs(): number {
    return this.#stopping || this.#waitingOnOutputs ? 0 : Date.now() - this.#lastRoundAt;
  }

  /** First scan (adopting the previous run's checkpoints), then the loop. */
  async start(): Promise<void> {
    for (const input of this.#inputs) await input.scan();
    this.#lastScan = Date.now();
    this.#scanDue = false;
    for (const input of this.#inputs) {
      const leftovers = this.#d.store.restored().filter(([, e]) => input.covers(e.path));
      await input.adoptRotated(leftovers);
    }
    for (const [id] of this.#d.store.restored()) this.#d.store.forget(id);
    this.#d.store.flush();
    this.#loop = this.#run();
    this.#loop.catch((err: unknown) => {
      // Without its reading loop the shipper is useless: exit so the kubelet restarts it.
      this.#d.log.fatal({ err }, 'reading loop failed');
      this.#d.store.flush();
      process.exit(1);
    });
  }

  /**
   * Stops reading, hands the open batch to the outputs, lets them deliver for up to graceMs, then
   * writes the checkpoints. If the loop is blocked by backpressure (disk buffer full) it is not
   * waited for: its unsafe lines are simply read again after the restart. Safe to call twice.
   */
  async stop(graceMs: number): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#batcher.stopPooling();
    this.#wake?.();
    const deadline = Date.now() + graceMs;
    const loop = this.#loop ?? Promise.resolve();
    const loopEnded = await Promise.race([
      loop.then(
        () => true,
        () => true,
      ),
      sleep(graceMs).then(() => false),
    ]);
    if (loopEnded) {
      this.#batcher.cut();
      await Promise.race([this.#dispatch(), sleep(Math.max(0, deadline - Date.now()))]);
    }
    // Stopping the queues also releases an enqueue blocked by backpressure, so the loop ends.
    await Promise.all(this.#d.outputs.map((q) => q.stop(Math.max(0, deadline - Date.now()))));
    await loop.catch(() => {});
    this.#d.store.flush();
    for (const input of this.#inputs) await input.close();
  }

  async #run(): Promise<void> {
    const { config } = this.#d;
    const scanEvery = Math.min(...config.inputs.map((i) => i.scanIntervalMs));
    const pollEvery = Math.min(...config.inputs.map((i) => i.pollIntervalMs));
    while (!this.#stopping) {
      this.#now = Date.now();
      if (this.#scanDue || this.#now - this.#lastScan >= scanEvery) {
        this.#scanDue = false;
        this.#lastScan = this.#now;
        for (const input of this.#inputs) await input.scan();
      }
      let progress = 0;
      for (const input of this.#inputs) {
        for (const tailer of input.tailers) {
          for (let i = 0; i < READS_PER_FILE && !this.#stopping; i++) {
            this.#now = Date.now();
            let n: number;
            try {
              n = await tailer.readChunk(this.#buf);
            } catch (err) {
              // An I/O error on one file (EIO, a vanished mount) must not stop the others.
              await input.drop(tailer, err as Error);
              break;
            }
            if (n === 0) break;
            progress += n;
            await this.#dispatch();
          }
        }
        await input.reap(Date.now());
      }
      this.#updateGauges();
      if (this.#batcher.age(Date.now()) >= config.batch.timeoutMs) {
        this.#batcher.cut();
        await this.#dispatch();
      }
      this.#lastRoundAt = Date.now();
      if (progress === 0 && !this.#stopping) await this.#sleep(pollEvery);
    }
  }

  #onLine(input: FileInput, tailer: Tailer, line: SplitLine): void {
    const stats = this.#d.stats;
    stats.linesRead += 1;
    stats.bytesRead += line.originalBytes + 1;
    if (line.bytes.length === 0 && line.originalBytes === 0) {
      this.#batcher.advance(tailer.id, line.end); // empty line: nothing to ship, but the offset moves
      return;
    }
    const rec = this.#builders.get(input)!.build(line, tailer.path);
    if (rec.parseError) stats.parseErrors += 1;
    if (rec.truncated) {
      stats.truncatedLines += 1;
      this.#d.log.warn(
        { file: tailer.path, bytes: line.originalBytes },
        'line longer than max_line_bytes; shipped cut',
      );
    }
    if (rec.invalidUtf8) stats.invalidUtf8 += 1;
    this.#batcher.add(rec.json, this.#now, tailer.id, line.end);
  }

  async #dispatch(): Promise<void> {
    for (const batch of this.#batcher.takeReady()) {
      this.#tracker.register(batch, this.#d.outputs.length);
      this.#waitingOnOutputs = true;
      try {
        for (const q of this.#d.outputs) await q.enqueue(batch);
      } finally {
        this.#waitingOnOutputs = false;
      }
    }
  }

  #onFileEvent(e: FileEvent): void {
    const log = this.#d.log;
    switch (e.kind) {
      case 'opened':
        log.info({ file: e.path, offset: e.offset, resumed: e.resumed }, 'following file');
        break;
      case 'unreadable':
        log.error({ file: e.path, error: e.error }, 'cannot read file; will retry at each scan');
        break;
      case 'truncated':
        this.#d.stats.truncations += 1;
        this.#d.stats.recoveredBytes += e.recoveredBytes;
        log.warn(
          { file: e.path, recovered_bytes: e.recoveredBytes },
          'file truncated; reading it from the start',
        );
        break;
      case 'finished':
        log.info({ file: e.path, offset: e.offset }, 'rotated or deleted file read to the end; closed');
        break;
    }
  }

  #updateGauges(): void {
    const stats = this.#d.stats;
    let files = 0;
    let lag = 0;
    let unreadable = 0;
    for (const input of this.#inputs) {
      unreadable += input.unreadableCount;
      for (const t of input.tailers) {
        files += 1;
        lag += t.lagBytes;
      }
    }
    stats.filesFollowed = files;
    stats.lagBytes = lag;
    stats.filesUnreadable = unreadable;
    stats.oldestUnshippedAt =
      this.#tracker.oldestOpenedAt() ??
      (this.#batcher.age(this.#now) >= 0 ? this.#now - this.#batcher.age(this.#now) : null);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = null;
        done();
      };
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
