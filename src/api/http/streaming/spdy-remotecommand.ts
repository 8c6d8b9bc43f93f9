/**
 * One exec/attach session on a connection upgraded to SPDY/3.1 (kubelet's remotecommand server,
 * pkg/kubelet/cri/streaming/remotecommand). The client opens one stream per `streamtype`; each
 * gets a SYN_REPLY. Once every expected stream is open the process starts (the same backend call
 * as the WebSocket path): its stdout/stderr go out as DATA on their streams, the stdin stream
 * feeds it (FIN = EOF), the resize stream sizes its terminal. When it ends, stdout/stderr are
 * flushed, the final status goes on the error stream, every server half gets FIN, then GOAWAY.
 *
 *   waiting ──(all expected streams)──▶ running ──(process ends)──▶ finished ──▶ closed
 *      └──(streamCreationTimeout)──▶ closed        └──(client gone / bad frame)──▶ closed, process killed
 *
 * A malformed frame ends this connection only (GOAWAY PROTOCOL_ERROR, a log line naming the
 * byte); it never throws out of the socket's event handlers.
 */

import type { Duplex } from 'node:stream';
import { PassThrough, type Readable, Writable } from 'node:stream';
import type { ExecSession } from '../../../runtime/types.js';
import type { StreamFlags } from './exec-session.js';
import {
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSynReply,
  RST,
  type SpdyFrame,
  SpdyFrameReader,
  SpdyProtocolError,
} from './spdy-frames.js';
import { HeaderDeflater, HeaderInflater } from './spdy-headers.js';
import {
  encodeFinalStatus,
  expectedStreams,
  isStreamType,
  type RemoteCommandProtocol,
  ResizeDecoder,
  ResizeStreamError,
  type StreamType,
  type TerminalSize,
} from './spdy-remotecommand-protocol.js';
import { errorStatus, exitStatus } from './ws-channels.js';

/** kubelet's DefaultStreamCreationTimeout. */
export const STREAM_CREATION_TIMEOUT_MS = 30_000;
/** How long a finished session waits for the client to hang up before dropping the socket. */
const LINGER_MS = 5_000;
/** GOAWAY status codes (SPDY/3 section 2.6.6). */
const GOAWAY = { ok: 0, protocolError: 1 } as const;

export interface RemoteCommandStreams {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
}

export interface SpdyRemoteCommandOptions {
  protocol: RemoteCommandProtocol;
  flags: StreamFlags;
  /** Starts the process (exec) or joins the main process (attach) on the given streams. */
  start(streams: RemoteCommandStreams): ExecSession;
  log(msg: string): void;
  streamCreationTimeoutMs?: number;
  /** Bytes the client sent with the upgrade request, before the 101. */
  head?: Buffer;
}

type State = 'waiting' | 'running' | 'finished' | 'closed';

export class SpdyRemoteCommandSession {
  readonly #socket: Duplex;
  readonly #o: SpdyRemoteCommandOptions;
  readonly #flags: StreamFlags;
  readonly #reader = new SpdyFrameReader(new HeaderInflater());
  readonly #deflater = new HeaderDeflater();
  readonly #expected: Set<StreamType>;
  readonly #idOf = new Map<StreamType, number>();
  readonly #typeOf = new Map<number, StreamType>();
  /** Streams whose server half is done (FIN sent, or the client reset the stream). */
  readonly #doneSending = new Set<number>();
  readonly #stdin = new PassThrough();
  readonly #resize = new ResizeDecoder();
  readonly #writers: Writable[] = [];
  #resizeBroken = false;
  #pendingSize: TerminalSize | undefined;
  #lastClientStream = 0;
  #state: State = 'waiting';
  #process: ExecSession | undefined;
  #processEnded = false;
  #stdinPaused = false;
  #aborted = false;
  readonly #timer: NodeJS.Timeout;
  #resolveClosed!: () => void;
  /** Resolves when the connection is gone (for the handler's bookkeeping and tests). */
  readonly closed = new Promise<void>((r) => {
    this.#resolveClosed = r;
  });

  constructor(socket: Duplex, o: SpdyRemoteCommandOptions) {
    this.#socket = socket;
    this.#o = o;
    // kubelet's NewOptions: a terminal has no separate stderr.
    this.#flags = { ...o.flags, stderr: o.flags.stderr && !o.flags.tty };
    this.#expected = expectedStreams(o.protocol, this.#flags);
    this.#timer = setTimeout(() => this.#timedOut(), o.streamCreationTimeoutMs ?? STREAM_CREATION_TIMEOUT_MS);
    socket.on('data', (bytes: Buffer) => this.#onBytes(bytes));
    socket.on('close', () => this.close());
    socket.on('error', () => socket.destroy());
    if (o.head?.length) this.#onBytes(o.head);
  }

  /** Drops the connection; a process still running is killed (exec) or detached (attach). Idempotent. */
  close(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    clearTimeout(this.#timer);
    if (this.#process && !this.#processEnded) this.#process.kill();
    this.#stdin.end();
    this.#socket.destroy();
    this.#resolveClosed();
  }

  #log(msg: string): void {
    this.#o.log(`exec/attach (SPDY ${this.#o.protocol}): ${msg}`);
  }

  /** Writes frames unless the socket is gone; false when the socket wants the writer to wait. */
  #send(frames: Buffer | Buffer[]): boolean {
    if (this.#state === 'closed' || this.#socket.destroyed || this.#socket.writableEnded) return true;
    let ok = true;
    for (const f of Array.isArray(frames) ? frames : [frames]) ok = this.#socket.write(f);
    return ok;
  }

  #onBytes(bytes: Buffer): void {
    // After a bad frame the header decompressor's state is unknown: nothing more is read.
    if (this.#state === 'closed' || this.#aborted) return;
    let frames: SpdyFrame[];
    try {
      frames = this.#reader.push(bytes);
    } catch (e) {
      if (!(e instanceof SpdyProtocolError)) throw e;
      this.#abort(e.message);
      return;
    }
    for (const f of frames) this.#onFrame(f);
  }

  /** A protocol violation: the process ends, GOAWAY PROTOCOL_ERROR goes out, the socket closes. */
  #abort(reason: string): void {
    this.#log(`closing connection: ${reason}`);
    this.#aborted = true;
    this.#state = 'finished';
    if (this.#process && !this.#processEnded) this.#process.kill();
    this.#send(encodeGoAway(this.#lastClientStream, GOAWAY.protocolError));
    this.#socket.end();
    setTimeout(() => this.close(), LINGER_MS).unref();
  }

  #onFrame(f: SpdyFrame): void {
    if (this.#state === 'closed') return;
    switch (f.type) {
      case 'ping':
        this.#send(encodePing(f.id));
        return;
      case 'synStream':
        this.#onSynStream(f.streamId, f.fin, f.headers);
        return;
      case 'data':
        this.#onData(f.streamId, f.data, f.fin);
        return;
      case 'rstStream': {
        const type = this.#typeOf.get(f.streamId);
        this.#doneSending.add(f.streamId);
        if (type === 'stdin') this.#stdin.end();
        return;
      }
      case 'goAway':
        // The client is done with the connection (client-go sends it on Close).
        this.close();
        return;
      case 'ignored':
        return;
    }
  }

  #onSynStream(id: number, fin: boolean, headers: Map<string, string>): void {
    if (id % 2 === 0 || id <= this.#lastClientStream) {
      this.#log(`stream ${id}: a client stream id must be odd and above ${this.#lastClientStream}`);
      this.#send(encodeRstStream(id, RST.protocolError));
      return;
    }
    this.#lastClientStream = id;
    const type = headers.get('streamtype');
    if (!isStreamType(type)) {
      this.#log(`stream ${id}: unexpected stream type: ${JSON.stringify(type ?? '')}`);
      this.#send(encodeRstStream(id, RST.protocolError));
      return;
    }
    if (this.#state !== 'waiting') {
      this.#log(`stream ${id}: ${type} stream opened after the session started`);
      this.#send(encodeRstStream(id, RST.refusedStream));
      return;
    }
    if (this.#idOf.has(type)) {
      this.#log(`stream ${id}: a second ${type} stream (the first is ${this.#idOf.get(type)})`);
      this.#send(encodeRstStream(id, RST.protocolError));
      return;
    }
    this.#send(encodeSynReply(id, this.#deflater.encode({})));
    this.#idOf.set(type, id);
    this.#typeOf.set(id, type);
    if (fin && type === 'stdin') this.#stdin.end();
    if ([...this.#expected].every((t) => this.#idOf.has(t))) this.#start();
  }

  #onData(id: number, data: Buffer, fin: boolean): void {
    const type = this.#typeOf.get(id);
    if (type === 'stdin' && this.#flags.stdin) {
      if (data.length && !this.#stdin.writableEnded && !this.#stdin.write(data) && !this.#stdinPaused) {
        // The process reads slower than the client sends: stop reading the socket (spdystream
        // blocks its frame reader the same way) until stdin drains.
        this.#stdinPaused = true;
        this.#socket.pause();
        this.#stdin.once('drain', () => {
          this.#stdinPaused = false;
          this.#socket.resume();
        });
      }
      if (fin) this.#stdin.end();
    } else if (type === 'resize' && !this.#resizeBroken && data.length) {
      try {
        for (const size of this.#resize.push(data)) this.#applySize(size);
      } catch (e) {
        if (!(e instanceof ResizeStreamError)) throw e;
        // kubelet stops reading resizes at the first bad value; the session goes on.
        this.#resizeBroken = true;
        this.#log(`ignoring further resizes: ${e.message}`);
      }
    }
    // DATA on error/stdout/stderr (client-to-server halves nobody reads) or an unknown stream: dropped.
  }

  #applySize(size: TerminalSize): void {
    // client-go may send 0×0 before it knows the terminal size; a zero size would hide output.
    if (size.cols === 0 || size.rows === 0) return;
    if (this.#process) this.#process.resize(size);
    else this.#pendingSize = size;
  }

  /** A Writable sending each chunk as DATA on `streamId`, holding the writer while the socket is full. */
  #writer(streamId: number): Writable {
    const w = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        if (this.#doneSending.has(streamId) || this.#send(encodeData(streamId, chunk, false))) {
          done();
          return;
        }
        const resume = () => {
          this.#socket.off('drain', resume);
          this.#socket.off('close', resume);
          done();
        };
        this.#socket.on('drain', resume);
        this.#socket.on('close', resume);
      },
    });
    this.#writers.push(w);
    return w;
  }

  #start(): void {
    this.#state = 'running';
    clearTimeout(this.#timer);
    const streamOf = (t: StreamType) => this.#idOf.get(t);
    const out = streamOf('stdout');
    const err = streamOf('stderr');
    const streams: RemoteCommandStreams = {
      ...(this.#flags.stdin && streamOf('stdin') !== undefined ? { stdin: this.#stdin } : {}),
      ...(this.#flags.stdout && out !== undefined ? { stdout: this.#writer(out) } : {}),
      ...(this.#flags.stderr && err !== undefined ? { stderr: this.#writer(err) } : {}),
    };
    try {
      this.#process = this.#o.start(streams);
    } catch (e) {
      void this.#finish(errorStatus((e as Error).message));
      return;
    }
    if (this.#pendingSize) this.#process.resize(this.#pendingSize);
    this.#process.exitCode.then(
      (code) => this.#finish(exitStatus(code)),
      (e: unknown) => this.#finish(errorStatus((e as Error).message)),
    );
  }

  /** Flushes stdout/stderr, writes the final status, FINs every server half, then GOAWAY. */
  async #finish(status: object): Promise<void> {
    this.#processEnded = true;
    if (this.#state !== 'running') return;
    this.#state = 'finished';
    this.#stdin.end();
    // Nothing reads stdin any more; read the socket again so the client's hang-up is seen.
    if (this.#stdinPaused) this.#socket.resume();
    await Promise.all(
      this.#writers.map((w) => new Promise<void>((r) => (w.writableEnded ? r() : w.end(() => r())))),
    );
    if (this.#state !== 'finished') return; // the client hung up meanwhile
    this.#writeStatusAndHangUp(status);
  }

  #writeStatusAndHangUp(status: object): void {
    const errorStream = this.#idOf.get('error');
    if (errorStream !== undefined && !this.#doneSending.has(errorStream)) {
      this.#send(encodeData(errorStream, encodeFinalStatus(this.#o.protocol, status), true));
      this.#doneSending.add(errorStream);
    }
    for (const id of this.#typeOf.keys()) {
      if (this.#doneSending.has(id)) continue;
      this.#doneSending.add(id);
      this.#send(encodeData(id, Buffer.alloc(0), true));
    }
    this.#send(encodeGoAway(this.#lastClientStream, GOAWAY.ok));
    this.#socket.end();
    setTimeout(() => this.close(), LINGER_MS).unref();
  }

  #timedOut(): void {
    if (this.#state !== 'waiting') return;
    const message = 'timed out waiting for client to create streams';
    this.#log(
      `${message} (have ${[...this.#idOf.keys()].join(', ') || 'none'}; want ${[...this.#expected].join(', ')})`,
    );
    this.#state = 'finished';
    // Upstream only logs this; a client that did open its error stream is told why as well.
    this.#writeStatusAndHangUp(errorStatus(message));
  }
}
