/**
 * Optional output for node-exporter's textfile collector. Each write goes to a temp file in the same
 * directory, named so the collector ignores it (it reads only `*.prom`), is fsynced, then renamed over
 * the target: a reader sees the old file or the new one, never a truncated one (the seed's bug).
 * When the source is down the file holds `<prefix>up 0` and no legacy samples, so node-exporter never
 * republishes stale values as current.
 *
 * Only the writer's own timer calls write(); stop() waits for a write in progress, so shutdown never
 * leaves a temp file behind.
 */
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Collector } from '../collect/collector.js';
import type { Logger } from '../log.js';

export interface TextfileWriterDeps {
  readonly collector: Collector;
  readonly path: string;
  readonly intervalMs: number;
  readonly logger: Logger;
}

export class TextfileWriter {
  readonly #deps: TextfileWriterDeps;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> | undefined;
  #stopped = false;

  constructor(deps: TextfileWriterDeps) {
    this.#deps = deps;
  }

  /** Writes once now, then every interval. */
  start(): Promise<void> {
    const first = this.#tick();
    this.#timer = setInterval(() => void this.#tick(), this.#deps.intervalMs);
    this.#timer.unref();
    return first;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#writing;
  }

  #tick(): Promise<void> {
    if (this.#stopped || this.#writing) return this.#writing ?? Promise.resolve();
    this.#writing = this.writeOnce()
      .catch((err: unknown) =>
        this.#deps.logger.error('textfile write failed', {
          path: this.#deps.path,
          error: (err as Error).message,
        }),
      )
      .finally(() => {
        this.#writing = undefined;
      });
    return this.#writing;
  }

  /** One atomic write of the current snapshot in the text format (node-exporter reads 0.0.4). */
  async writeOnce(): Promise<void> {
    const snapshot = await this.#deps.collector.snapshot();
    const body = snapshot.body('text');
    const target = this.#deps.path;
    const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
    const handle = await open(tmp, 'w', 0o644);
    try {
      await handle.writeFile(body, 'utf8');
      await handle.sync();
    } catch (err) {
      await handle.close();
      await unlink(tmp).catch(() => {});
      throw err;
    }
    await handle.close();
    try {
      await rename(tmp, target);
    } catch (err) {
      await unlink(tmp).catch(() => {});
      throw err;
    }
  }
}
