/**
 * One port-forward connection speaking SPDY/3.1 (kubelet's portforward protocol
 * `portforward.k8s.io`, pkg/kubelet/cri/streaming/portforward/httpstream.go). Per forwarded local
 * connection the client opens two streams with headers `streamtype: error|data`, `port`,
 * `requestid`. Each gets a SYN_REPLY; the data stream is piped to the pod's port; when either
 * side ends, the server sends FIN on the data stream, writes any error on the error stream, and
 * sends FIN on the error stream (without both FINs the client connection hangs).
 */
import type { Duplex } from 'node:stream';
import {
  encodeData,
  encodePing,
  encodeRstStream,
  encodeSynReply,
  RST,
  type SpdyFrame,
  SpdyFrameReader,
  SpdyProtocolError,
} from './spdy-frames.js';
import { HeaderDeflater, HeaderInflater } from './spdy-headers.js';

/** The byte stream under the session: a raw upgraded socket or a WebSocket's binary messages. */
export interface SpdyTransport {
  write(bytes: Buffer): void;
  close(): void;
  onData(cb: (bytes: Buffer) => void): void;
  onClose(cb: () => void): void;
}

/** How long an ended pod connection waits for a late error before the streams are closed. */
const END_GRACE_MS = 250;

interface ForwardRequest {
  port: number;
  errorStream?: number;
  dataStream?: number;
  target?: Duplex;
  /** Client bytes (and half-close) that arrived while the pod connection was being dialled. */
  early: Buffer[];
  earlyFin: boolean;
  /** Set once the server sent FIN on the data stream. */
  dataClosed: boolean;
  /** The forwarded connection ended before the error stream arrived. */
  ended: boolean;
  /** An error found before the error stream arrived. */
  pendingError?: string;
}

export interface PortForwardSessionDeps {
  dial(port: number): Promise<Duplex>;
  log(msg: string): void;
}

export class PortForwardSession {
  readonly #t: SpdyTransport;
  readonly #deps: PortForwardSessionDeps;
  readonly #reader = new SpdyFrameReader(new HeaderInflater());
  readonly #deflater = new HeaderDeflater();
  readonly #byRequest = new Map<string, ForwardRequest>();
  readonly #byStream = new Map<number, { request: string; kind: 'error' | 'data' }>();
  #closed = false;

  constructor(t: SpdyTransport, deps: PortForwardSessionDeps) {
    this.#t = t;
    this.#deps = deps;
    t.onData((bytes) => {
      let frames: SpdyFrame[];
      try {
        frames = this.#reader.push(bytes);
      } catch (e) {
        if (!(e instanceof SpdyProtocolError)) throw e;
        deps.log(`port-forward: closing connection: ${e.message}`);
        this.close();
        return;
      }
      for (const f of frames) this.#onFrame(f);
    });
    t.onClose(() => this.close());
  }

  /** Ends every forwarded connection and the transport. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const r of this.#byRequest.values()) r.target?.destroy();
    this.#byRequest.clear();
    this.#t.close();
  }

  #send(bytes: Buffer | Buffer[]): void {
    if (this.#closed) return;
    for (const b of Array.isArray(bytes) ? bytes : [bytes]) this.#t.write(b);
  }

  #onFrame(f: SpdyFrame): void {
    switch (f.type) {
      case 'ping':
        this.#send(encodePing(f.id));
        return;
      case 'synStream':
        this.#onSynStream(f.streamId, f.headers);
        return;
      case 'data': {
        const s = this.#byStream.get(f.streamId);
        const r = s && this.#byRequest.get(s.request);
        if (!s || !r) return; // data for a stream already finished
        if (s.kind !== 'data') return;
        if (!r.target) {
          if (f.data.length) r.early.push(f.data);
          r.earlyFin ||= f.fin;
          return;
        }
        if (f.data.length) r.target.write(f.data);
        if (f.fin) r.target.end();
        return;
      }
      case 'rstStream': {
        const s = this.#byStream.get(f.streamId);
        if (s) this.#finish(s.request);
        return;
      }
      case 'goAway':
        this.close();
        return;
      case 'ignored':
        return;
    }
  }

  #onSynStream(streamId: number, headers: Map<string, string>): void {
    const streamType = headers.get('streamtype');
    const requestId = headers.get('requestid') ?? '';
    const portText = headers.get('port') ?? '';
    if (streamType !== 'error' && streamType !== 'data') {
      this.#send(encodeRstStream(streamId, RST.protocolError));
      this.#deps.log(
        `port-forward: stream ${streamId}: streamtype ${JSON.stringify(streamType)} is not error or data`,
      );
      return;
    }
    this.#send(encodeSynReply(streamId, this.#deflater.encode({})));
    const port = /^\d+$/.test(portText) ? Number(portText) : Number.NaN;
    let r = this.#byRequest.get(requestId);
    if (!r) {
      r = { port, dataClosed: false, ended: false, early: [], earlyFin: false };
      this.#byRequest.set(requestId, r);
    }
    this.#byStream.set(streamId, { request: requestId, kind: streamType });
    if (streamType === 'error') {
      r.errorStream = streamId;
      if (r.ended) this.#finish(requestId);
      return;
    }
    r.dataStream = streamId;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      this.#finish(requestId, `invalid port ${JSON.stringify(portText)}: must be an integer 1-65535`);
      return;
    }
    this.#dial(requestId, r);
  }

  async #dial(requestId: string, r: ForwardRequest): Promise<void> {
    let target: Duplex;
    try {
      target = await this.#deps.dial(r.port);
    } catch (e) {
      this.#finish(requestId, `error forwarding port ${r.port} to pod: ${(e as Error).message}`);
      return;
    }
    if (this.#closed || this.#byRequest.get(requestId) !== r) {
      target.destroy();
      return;
    }
    r.target = target;
    target.on('data', (chunk: Buffer) => {
      if (r.dataStream !== undefined && !r.dataClosed) this.#send(encodeData(r.dataStream, chunk, false));
    });
    // A dial failure may surface only after the stream ended (the runtime learns it from the
    // helper's exit status), so the end waits briefly for an error before closing the streams.
    target.on('end', () => setTimeout(() => this.#finish(requestId), END_GRACE_MS).unref());
    target.on('error', (e) =>
      this.#finish(requestId, `error forwarding port ${r.port} to pod: ${e.message}`),
    );
    target.on('close', () => this.#finish(requestId));
    for (const b of r.early) target.write(b);
    if (r.earlyFin) target.end();
    r.early = [];
  }

  /** FIN on the data stream, the error text (if any) and FIN on the error stream; once per request. */
  #finish(requestId: string, error?: string): void {
    const r = this.#byRequest.get(requestId);
    if (!r) return;
    r.ended = true;
    if (error !== undefined && r.pendingError === undefined) r.pendingError = error;
    if (r.dataStream !== undefined && !r.dataClosed) {
      r.dataClosed = true;
      this.#send(encodeData(r.dataStream, Buffer.alloc(0), true));
    }
    if (r.errorStream === undefined) return;
    const message = r.pendingError;
    this.#send(encodeData(r.errorStream, Buffer.from(message ?? ''), true));
    if (message) this.#deps.log(`port-forward: ${message}`);
    r.target?.destroy();
    this.#byRequest.delete(requestId);
    for (const id of [r.dataStream, r.errorStream]) if (id !== undefined) this.#byStream.delete(id);
  }
}
