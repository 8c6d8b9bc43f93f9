/**
 * Reads the legacy stats body from its source: an http(s) URL (the seed's
 * `http://localhost:8888/admin/stats`) or a file path. Every read is bounded by a timeout and a
 * size limit, and every failure becomes a SourceError with a reason from a closed set, so the
 * collector can report it as `<prefix>source_errors_total{reason}` and carry on serving.
 */
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { SourceError } from '../errors.js';

export interface SourceReader {
  /** Human-readable location, for logs. */
  readonly location: string;
  /**
   * Resolves with the body's bytes, or rejects with a SourceError (never with anything else). The
   * bytes may live in a buffer the reader reuses: they are valid until the next read() starts, so
   * callers parse them at once and keep no view of them. Reads must not overlap.
   */
  read(timeoutMs: number): Promise<Buffer>;
  /** Drops pooled connections; safe to call twice. */
  close(): void;
}

export interface SourceReaderOptions {
  readonly maxBytes: number;
}

export function createSourceReader(source: string, options: SourceReaderOptions): SourceReader {
  if (/^https?:\/\//i.test(source)) return new HttpSourceReader(new URL(source), options.maxBytes);
  return new FileSourceReader(
    source.startsWith('file://') ? new URL(source).pathname : source,
    options.maxBytes,
  );
}

class HttpSourceReader implements SourceReader {
  readonly location: string;
  readonly #url: URL;
  readonly #maxBytes: number;
  // Keep-alive: the app is on localhost and is read on every scrape; reconnecting each time is waste.
  readonly #agent: http.Agent;
  // The body is copied into one buffer kept across reads: a fresh ~1 MB buffer per read (plus
  // Buffer.concat's copy) is fresh memory to map and fault in on every scrape.
  #body = Buffer.allocUnsafe(0);

  constructor(url: URL, maxBytes: number) {
    this.#url = url;
    this.location = url.href;
    this.#maxBytes = maxBytes;
    const Agent = url.protocol === 'https:' ? https.Agent : http.Agent;
    this.#agent = new Agent({ keepAlive: true, maxSockets: 4 });
  }

  async read(timeoutMs: number): Promise<Buffer> {
    const started = performance.now();
    try {
      return await this.#attempt(timeoutMs);
    } catch (err) {
      // A kept-alive socket the app closed while idle (it restarted, or its idle timeout fired) fails
      // the first request on it. That is not the app being down: retry once on a fresh connection.
      if (!(err instanceof StaleSocketError)) throw err;
      const left = timeoutMs - (performance.now() - started);
      if (left < 1) throw new SourceError('timeout', `no complete answer within ${timeoutMs} ms`);
      return this.#attempt(left, false);
    }
  }

  #attempt(timeoutMs: number, mayBeStale = true): Promise<Buffer> {
    const lib = this.#url.protocol === 'https:' ? https : http;
    return new Promise<Buffer>((resolve, reject) => {
      let settled = false;
      let responded = false;
      const fail = (err: SourceError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(err);
      };
      const timer = setTimeout(
        () => fail(new SourceError('timeout', `no complete answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const req = lib.get(
        this.#url,
        { agent: this.#agent, headers: { accept: 'text/plain, application/json;q=0.9, */*;q=0.5' } },
        (res) => {
          responded = true;
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) {
            res.resume();
            fail(new SourceError('http_status', `HTTP ${status} from ${this.location}`));
            return;
          }
          const declared = Number(res.headers['content-length']);
          if (Number.isFinite(declared) && declared > this.#maxBytes) {
            fail(new SourceError('too_large', `Content-Length ${declared} exceeds ${this.#maxBytes} bytes`));
            return;
          }
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            if (settled) return;
            if (size + chunk.length > this.#maxBytes) {
              fail(new SourceError('too_large', `body exceeds ${this.#maxBytes} bytes`));
              return;
            }
            this.#reserve(size, size + chunk.length, declared);
            chunk.copy(this.#body, size);
            size += chunk.length;
          });
          res.on('end', () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve(this.#body.subarray(0, size));
          });
          res.on('error', (err) => fail(new SourceError('read', err.message, { cause: err })));
          res.on('aborted', () => fail(new SourceError('read', 'connection closed mid-body')));
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        const reset = err.code === 'ECONNRESET' || err.code === 'EPIPE';
        if (reset && mayBeStale && req.reusedSocket && !responded && !settled) {
          settled = true;
          clearTimeout(timer);
          reject(new StaleSocketError());
          return;
        }
        const reason = reset ? 'read' : 'connect';
        fail(new SourceError(reason, `${this.location}: ${err.code ?? err.message}`, { cause: err }));
      });
    });
  }

  /** Grows the body buffer to hold `needed` bytes, keeping the first `used`; sized for the declared length. */
  #reserve(used: number, needed: number, declared: number): void {
    if (needed <= this.#body.length) return;
    const hint = Number.isFinite(declared) && declared >= needed ? declared : needed + (needed >> 1);
    const next = Buffer.allocUnsafe(Math.min(this.#maxBytes, Math.max(hint, 64 * 1024)));
    this.#body.copy(next, 0, 0, used);
    this.#body = next;
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** Internal: the request failed on a reused keep-alive socket before any answer; retried once. */
class StaleSocketError extends Error {}

class FileSourceReader implements SourceReader {
  readonly location: string;
  readonly #maxBytes: number;

  constructor(path: string, maxBytes: number) {
    this.location = path;
    this.#maxBytes = maxBytes;
  }

  async read(timeoutMs: number): Promise<Buffer> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const info = await stat(this.location);
      if (info.size > this.#maxBytes) {
        throw new SourceError('too_large', `${this.location} is ${info.size} bytes, limit ${this.#maxBytes}`);
      }
      return await readFile(this.location, { signal });
    } catch (err) {
      if (err instanceof SourceError) throw err;
      const e = err as NodeJS.ErrnoException;
      if (e.name === 'AbortError')
        throw new SourceError('timeout', `reading ${this.location} took over ${timeoutMs} ms`);
      const reason = e.code === 'ENOENT' || e.code === 'EACCES' ? 'connect' : 'read';
      throw new SourceError(reason, `${this.location}: ${e.code ?? e.message}`, { cause: err });
    }
  }

  close(): void {}
}
