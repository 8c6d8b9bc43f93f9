/**
 * HTTP output (NDJSON, Loki push, Elasticsearch bulk) over keep-alive connections.
 * 2xx is success; 408, 429 and 5xx and network errors are retryable; any other status means the
 * batch will never be accepted. An Elasticsearch bulk answer with per-item errors retries only
 * the items that failed with 429/5xx (through SinkError.retryOnly).
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import type { OutputConfig } from '../config/types.js';
import { SinkError } from '../errors.js';
import type { Batch } from '../pipeline/batch.js';
import { bulkFailures, encode } from './http-encoders.js';
import type { SendResult, Sink } from './sink.js';

type HttpOutput = Extract<OutputConfig, { type: 'http' }>;

/** Response bodies are read for error messages and bulk results only; cap what we keep. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export class HttpSink implements Sink {
  readonly name: string;
  readonly #config: HttpOutput;
  readonly #url: URL;
  readonly #agent: http.Agent;
  /** node:http or node:https, by the URL's scheme. */
  readonly #client: typeof http;

  constructor(config: HttpOutput) {
    this.name = config.name;
    this.#config = config;
    this.#url = new URL(config.url);
    this.#client = this.#url.protocol === 'https:' ? loadHttps() : http;
    this.#agent = new this.#client.Agent({ keepAlive: true, maxSockets: 1 });
  }

  async send(batch: Batch): Promise<SendResult> {
    const { body, contentType } = encode(this.#config.format, batch, this.#config.labels, this.#config.index);
    const { status, text } = await this.#post(body, contentType);
    if (status >= 200 && status < 300) {
      if (this.#config.format !== 'elasticsearch') return { rejected: 0 };
      const failures = bulkFailures(text);
      if (failures.retry.length > 0) {
        throw new SinkError(
          true,
          `${this.name}: ${failures.retry.length} bulk items failed: ${failures.firstError}`,
          {
            retryOnly: failures.retry,
          },
        );
      }
      return { rejected: failures.rejected };
    }
    const retryable = status === 408 || status === 429 || status >= 500;
    throw new SinkError(
      retryable,
      `${this.name}: HTTP ${status} from ${this.#url.host}: ${text.slice(0, 200)}`,
    );
  }

  async close(): Promise<void> {
    this.#agent.destroy();
  }

  #post(body: Buffer | string, contentType: string): Promise<{ status: number; text: string }> {
    const mod = this.#client;
    const payload = typeof body === 'string' ? Buffer.from(body) : body;
    return new Promise((resolve, reject) => {
      // The answer can come before the body is fully written; the caller may reuse the body's
      // buffer once this resolves, so wait for the request to be flushed (or closed) as well.
      let flushed: () => void = () => {};
      const written = new Promise<void>((r) => {
        flushed = r;
      });
      const req = mod.request(
        this.#url,
        {
          method: 'POST',
          agent: this.#agent,
          timeout: this.#config.timeoutMs,
          headers: { ...this.#config.headers, 'content-type': contentType, 'content-length': payload.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            if (size < MAX_RESPONSE_BYTES) chunks.push(c);
            size += c.length;
          });
          res.on('end', () => {
            const answer = { status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') };
            void written.then(() => resolve(answer));
          });
          res.on('error', (err) =>
            reject(new SinkError(true, `${this.name}: ${err.message}`, { cause: err })),
          );
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.#config.timeoutMs} ms`)));
      req.on('finish', flushed);
      req.on('close', flushed);
      req.on('error', (err) => reject(new SinkError(true, `${this.name}: ${err.message}`, { cause: err })));
      req.end(payload);
    });
  }
}

/**
 * node:https (and with it tls and most of crypto) only for an https:// URL: loading it costs
 * ~1 MiB resident, which a shipper posting to a plain-HTTP sink need not pay. Its request and
 * Agent API is node:http's.
 */
function loadHttps(): typeof http {
  return createRequire(import.meta.url)('node:https') as typeof http;
}
