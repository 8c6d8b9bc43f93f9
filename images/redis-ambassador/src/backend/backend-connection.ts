/**
 * One TCP (or TLS) connection to one Redis server. It owns the socket, the handshake that gives the
 * connection its session state (AUTH, HELLO, SELECT, CLIENT SETNAME), and the FIFO of requests waiting
 * for replies. Redis answers in order, so the n-th reply belongs to the n-th waiter.
 *
 * Lifecycle:  connecting ──► handshaking ──► ready ──► closed
 *             (requests sent before `ready` wait in the outbox: a command must never run on a connection
 *             whose AUTH or SELECT has not succeeded, or it would run as the wrong user or in db 0)
 *
 * A request may carry several commands (a "run": consecutive commands of one client for this backend,
 * forwarded as one contiguous slice). Its waiter then gets their replies as contiguous slices too: zero or
 * more `onReply(part, errors, false)` when a read ends mid-run, then `onReply(rest, errors, true)`.
 *
 * Contracts: every waiter ends with exactly one final `onReply(…, true)` or one `onError`, which also
 * says how many replies were still owed. `close()` is safe to call twice.
 * Writes are batched per event-loop turn (setImmediate), so commands from many clients that arrive in
 * the same turn leave in one write (one buffer, or a writev above 64 KiB): this is what lets shared
 * connections beat per-client ones.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { HostPort, TlsSettings } from '../config/config.js';
import { replyErrors } from '../errors.js';
import { scanReply } from '../resp/reply-scanner.js';
import { Deque } from '../util/deque.js';

export interface ReplyWaiter {
  /** `replies`: whole replies, back to back; `errors`: how many are error replies; `last`: run complete. */
  onReply(replies: Buffer, errors: number, last: boolean): void;
  /** The connection failed; `owed` replies of this request will never come. */
  onError(text: string, owed: number): void;
}

export interface BackendConnectionDeps {
  readonly address: HostPort;
  readonly tls?: TlsSettings;
  /** Commands sent first; any error reply fails the connection with that error. */
  readonly handshake: readonly Buffer[];
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
  readonly onClosed?: (conn: BackendConnection, reason: string) => void;
}

interface InFlight {
  readonly waiter: ReplyWaiter;
  /** Replies still expected for this request. */
  remaining: number;
  readonly sentAt: number;
  /** Blocking commands (BLPOP…) may legitimately wait forever: exempt from the command timeout. */
  readonly blocking: boolean;
}

/** Every plain backend socket reads into this (reads are synchronous on the one JS thread). */
const sharedReadBuffer = Buffer.allocUnsafe(64 * 1024);

/** Outboxes up to this size leave as one concatenated buffer; larger ones as a corked writev. */
const CONCAT_LIMIT = 64 * 1024;

type State = 'connecting' | 'handshaking' | 'ready' | 'closed';

export class BackendConnection {
  readonly label: string;
  private readonly socket: net.Socket;
  private state: State = 'connecting';
  private readonly inflight = new Deque<InFlight>();
  /** Requests accepted before the handshake finished. */
  private waiting: { raw: Buffer; entry: InFlight }[] = [];
  private outbox: Buffer[] = [];
  private flushScheduled = false;
  private leftover: Buffer | null = null;
  /** Buffered length below which the partial reply in `leftover` cannot be complete. */
  private needBytes = 0;
  /** Reads received after `leftover` while its reply is still short of `needBytes`. */
  private later: Buffer[] = [];
  private laterBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private tunnel: { onData: (b: Buffer) => void; onEnd: () => void } | null = null;
  private readyCallbacks: ((error?: string) => void)[] = [];

  constructor(private readonly deps: BackendConnectionDeps) {
    const { host, port } = deps.address;
    this.label = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const onChunk = (chunk: Buffer): void => {
      try {
        this.onData(chunk);
      } catch (e) {
        // A bad backend reply (or a bug downstream) fails this connection, never the process.
        this.fail(`internal error: ${(e as Error).message}`);
      }
    };
    if (deps.tls) {
      this.socket = tls.connect({
        host,
        port,
        ...deps.tls,
        ...(deps.tls.servername ? {} : { servername: host }),
      });
      this.socket.on('data', onChunk);
    } else {
      // Plain TCP reads into one shared buffer (see proxy/client-socket.ts for why); replies are handed
      // on as slices, so each read's bytes are copied into a buffer of their own.
      this.socket = net.connect({
        host,
        port,
        onread: {
          buffer: sharedReadBuffer,
          callback: (nread: number, buf: Uint8Array): boolean => {
            const chunk = Buffer.allocUnsafe(nread);
            chunk.set(nread === buf.length ? buf : buf.subarray(0, nread));
            onChunk(chunk);
            return true; // keep reading (pause/resume go through the socket)
          },
        },
      });
    }
    this.socket.setNoDelay(true);
    this.socket.setTimeout(deps.connectTimeoutMs, () =>
      this.fail(`connect timeout after ${deps.connectTimeoutMs} ms`),
    );
    this.socket.once(deps.tls ? 'secureConnect' : 'connect', () => this.onConnect());
    this.socket.on('error', (e) => this.fail(e.message));
    this.socket.on('close', () => this.fail('connection closed'));
  }

  get isClosed(): boolean {
    return this.state === 'closed';
  }

  /** Replies still owed by the server (used by the least-outstanding read policy). */
  get outstanding(): number {
    return this.inflight.length + this.waiting.length;
  }

  /** Sends `raw`, which holds `count` commands; their replies go to `waiter` (see header). */
  send(raw: Buffer, waiter: ReplyWaiter, blocking = false, count = 1): void {
    if (this.state === 'closed') {
      waiter.onError(replyErrors.backendDown(this.label, 'connection closed'), count);
      return;
    }
    const entry: InFlight = { waiter, remaining: count, sentAt: Date.now(), blocking };
    if (this.state !== 'ready') {
      this.waiting.push({ raw, entry });
      return;
    }
    this.inflight.push(entry);
    this.enqueueWrite(raw);
  }

  /** Calls `cb` once the handshake succeeded (no argument) or the connection failed (the error text). */
  onceReady(cb: (error?: string) => void): void {
    if (this.state === 'ready') cb();
    else if (this.state === 'closed') cb(replyErrors.backendDown(this.label, 'connection closed'));
    else this.readyCallbacks.push(cb);
  }

  /**
   * Turns the connection into a raw byte pipe (SUBSCRIBE, MONITOR). Only valid once no reply is owed;
   * from then on the caller writes with `writeRaw` and gets every byte the server sends.
   */
  becomeTunnel(onData: (b: Buffer) => void, onEnd: () => void): void {
    this.tunnel = { onData, onEnd };
    this.clearTimer();
    if (this.leftover) {
      const rest = Buffer.concat([this.leftover, ...this.later]);
      this.leftover = null;
      this.later = [];
      this.laterBytes = 0;
      onData(rest);
    }
  }

  writeRaw(b: Buffer): boolean {
    return this.state !== 'closed' && this.socket.write(b);
  }

  pauseReading(): void {
    this.socket.pause();
  }

  resumeReading(): void {
    this.socket.resume();
  }

  onDrain(cb: () => void): void {
    this.socket.once('drain', cb);
  }

  close(reason = 'closed by ambassador'): void {
    this.fail(reason);
  }

  private onConnect(): void {
    this.socket.setTimeout(0);
    this.state = 'handshaking';
    const steps = this.deps.handshake;
    if (steps.length === 0) {
      this.onReady();
      return;
    }
    let left = steps.length;
    let failed = false;
    for (const raw of steps) {
      this.inflight.push({
        remaining: 1,
        sentAt: Date.now(),
        blocking: false,
        waiter: {
          onReply: (reply: Buffer) => {
            if (failed) return;
            if (reply[0] === 45 /* - */) {
              failed = true;
              this.fail(`handshake refused: ${reply.toString('utf8', 1, reply.length - 2)}`);
            } else if (--left === 0) this.onReady();
          },
          onError: () => {},
        },
      });
      this.enqueueWrite(raw);
    }
    this.startTimer();
  }

  private onReady(): void {
    this.state = 'ready';
    this.startTimer();
    const queued = this.waiting;
    this.waiting = [];
    for (const { raw, entry } of queued) {
      this.inflight.push(entry);
      this.enqueueWrite(raw);
    }
    const callbacks = this.readyCallbacks;
    this.readyCallbacks = [];
    for (const cb of callbacks) cb();
  }

  private enqueueWrite(raw: Buffer): void {
    this.outbox.push(raw);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const out = this.outbox;
    this.outbox = [];
    if (this.state === 'closed' || out.length === 0) return;
    if (out.length === 1) {
      this.socket.write(out[0]!);
      return;
    }
    let total = 0;
    for (const b of out) total += b.length;
    if (total <= CONCAT_LIMIT) {
      // Many small requests (one per client, unpipelined): one copy and one write are cheaper than a
      // stream write per request plus a writev over all of them.
      this.socket.write(Buffer.concat(out, total));
      return;
    }
    this.socket.cork();
    for (const b of out) this.socket.write(b);
    this.socket.uncork();
  }

  private onData(chunk: Buffer): void {
    if (this.tunnel) {
      this.tunnel.onData(chunk);
      return;
    }
    let buf = chunk;
    if (this.leftover) {
      // Reads of a reply still short of `needBytes` are joined once, when it may be complete (joining on
      // every read copies a large reply once per read: quadratic, and it stalls every other client).
      this.laterBytes += chunk.length;
      this.later.push(chunk);
      if (this.leftover.length + this.laterBytes < this.needBytes) return;
      buf = Buffer.concat([this.leftover, ...this.later]);
      this.leftover = null;
      this.later = [];
      this.laterBytes = 0;
    }
    let pos = 0;
    // Start of the current run's replies within `buf`, and how many of them are errors.
    let runStart = 0;
    let errors = 0;
    while (pos < buf.length) {
      let end: number;
      try {
        end = scanReply(buf, pos);
      } catch (e) {
        this.fail(`invalid reply: ${(e as Error).message}`);
        return;
      }
      if (end < 0) {
        this.leftover = buf.subarray(pos);
        this.needBytes = -end - pos;
        break;
      }
      const type = buf[pos];
      if (type === 62 /* > */) {
        // RESP3 out-of-band push (answers no request): cut the run around it.
        const head = this.inflight.peek();
        if (head && pos > runStart) head.waiter.onReply(buf.subarray(runStart, pos), errors, false);
        errors = 0;
        pos = end;
        runStart = end;
        continue;
      }
      const entry = this.inflight.peek();
      if (!entry) {
        this.fail('reply with no request waiting');
        return;
      }
      if (type === 45 || type === 33) errors++;
      pos = end;
      if (--entry.remaining === 0) {
        this.inflight.shift();
        entry.waiter.onReply(
          runStart === 0 && end === buf.length ? buf : buf.subarray(runStart, end),
          errors,
          true,
        );
        runStart = end;
        errors = 0;
        if (this.tunnel) {
          if (pos < buf.length) (this.tunnel as { onData: (b: Buffer) => void }).onData(buf.subarray(pos));
          return;
        }
      }
    }
    const head = this.inflight.peek();
    const completeEnd = this.leftover ? buf.length - this.leftover.length : buf.length;
    if (head && completeEnd > runStart)
      head.waiter.onReply(buf.subarray(runStart, completeEnd), errors, false);
  }

  private startTimer(): void {
    if (this.timer) return;
    const period = Math.max(5, Math.min(250, Math.floor(this.deps.commandTimeoutMs / 4)));
    this.timer = setInterval(() => this.checkTimeout(), period);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private checkTimeout(): void {
    const head = this.inflight.peek();
    if (!head || head.blocking) return;
    if (Date.now() - head.sentAt > this.deps.commandTimeoutMs) {
      this.fail(
        `no reply within ${this.deps.commandTimeoutMs} ms`,
        replyErrors.timeout(this.label, this.deps.commandTimeoutMs),
      );
    }
  }

  private fail(reason: string, clientText = replyErrors.backendDown(this.label, reason)): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.clearTimer();
    this.socket.destroy();
    const queued = this.waiting;
    this.waiting = [];
    for (const entry of this.inflight.drain()) entry.waiter.onError(clientText, entry.remaining);
    for (const { entry } of queued) entry.waiter.onError(clientText, entry.remaining);
    const callbacks = this.readyCallbacks;
    this.readyCallbacks = [];
    for (const cb of callbacks) cb(clientText);
    this.tunnel?.onEnd();
    this.deps.onClosed?.(this, reason);
  }
}
