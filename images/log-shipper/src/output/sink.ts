/**
 * What an output must do: deliver one batch, in order, or throw. The OutputQueue around each sink
 * owns ordering, retries, backoff and the disk buffer; sinks stay small.
 *
 * Contract for `send`: resolves only once the destination has accepted every record of the batch
 * (HTTP 2xx, file write returned, stdout drained, syslog bytes written to the socket). Throws a
 * SinkError: `retryable` true means "try the same batch again later", false means "this batch will
 * never be accepted" (it is counted as rejected and skipped, as Vector and fluent-bit do).
 */
import type { Batch } from '../pipeline/batch.js';

export interface Sink {
  readonly name: string;
  send(batch: Batch): Promise<SendResult>;
  /** Safe to call twice. */
  close(): Promise<void>;
}

export interface SendResult {
  /** Records the destination refused for good (e.g. Elasticsearch mapping errors); 0 normally. */
  readonly rejected: number;
}

export const ALL_ACCEPTED: SendResult = { rejected: 0 };
