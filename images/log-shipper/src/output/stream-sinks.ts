/**
 * stdout and file outputs: JSON lines. stdout is what `kubectl logs <pod> -c log-shipper` shows,
 * as the seed's test command expects. Both wait for the stream to drain, so a slow reader of
 * stdout slows the shipper down (backpressure) instead of growing memory.
 */
import { type FileHandle, open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { SinkError } from '../errors.js';
import type { Batch } from '../pipeline/batch.js';
import { ALL_ACCEPTED, type SendResult, type Sink } from './sink.js';

export class StreamSink implements Sink {
  readonly name: string;
  readonly #out: Writable;

  constructor(name: string, out: Writable) {
    this.name = name;
    this.#out = out;
    // EPIPE and friends also arrive as 'error' events; the write callback reports them to the
    // queue (which retries), so the event must not become an uncaught exception.
    out.on('error', () => {});
  }

  send(batch: Batch): Promise<SendResult> {
    return new Promise((resolve, reject) => {
      this.#out.write(batch.body, (err) => {
        if (err) reject(new SinkError(true, `${this.name}: ${err.message}`, { cause: err }));
        else resolve(ALL_ACCEPTED);
      });
    });
  }

  async close(): Promise<void> {}
}

export class FileSink implements Sink {
  readonly name: string;
  readonly #path: string;
  #fh: FileHandle | null = null;

  constructor(name: string, path: string) {
    this.name = name;
    this.#path = path;
  }

  async send(batch: Batch): Promise<SendResult> {
    try {
      this.#fh ??= await open(this.#path, 'a');
      await this.#fh.write(batch.body);
      return ALL_ACCEPTED;
    } catch (err) {
      await this.close();
      throw new SinkError(true, `${this.name} ${this.#path}: ${(err as Error).message}`, { cause: err });
    }
  }

  async close(): Promise<void> {
    const fh = this.#fh;
    this.#fh = null;
    await fh?.close().catch(() => {});
  }
}
