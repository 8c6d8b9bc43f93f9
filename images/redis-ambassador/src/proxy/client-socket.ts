/**
 * Client sockets that read into one shared buffer.
 *
 * Why: a proxy reads once per client request. Node's default read path allocates a fresh 64 KiB backing
 * store per read (malloc, then a shrinking realloc, then an ArrayBuffer the GC must sweep) and pushes it
 * through the Readable stream machinery. With the `onread` option the kernel reads into one buffer we
 * own, and we copy the bytes read into a small buffer from Node's pool (no malloc for reads under 4 KiB).
 * Profiled at -P 16 this allocation and sweeping was the largest item outside the kernel's own work.
 *
 * `net.createServer` has no `onread` option (only `net.connect` does), so an accepted socket is adopted:
 * the server accepts with `pauseOnConnect` (nothing is read yet), its libuv handle moves into a new
 * `net.Socket` created with `onread`, and the accepted wrapper, now without a handle, is destroyed (which
 * also keeps the server's connection count right). This uses the socket's `_handle`, the same field Node's
 * own net/cluster code moves between sockets; if a Node version ever lacks it, the accepted socket is used
 * as it is, with 'data' events: slower, same behaviour.
 *
 * Contract: bytes reach the current reader (`setReader`) in order; the Buffer handed over is the reader's
 * to keep. Pause/resume/end/close behave as on any net.Socket (Node stops and restarts reading the handle).
 */
import net from 'node:net';

/** One read's worth; every adopted client socket reads into it (JS is single-threaded, reads are synchronous). */
const shared = Buffer.allocUnsafe(64 * 1024);
/** The ClientSocket of an adopted net.Socket (Node calls the onread callback with the socket as `this`). */
const owner = Symbol('redis-ambassador.client');

/**
 * One function for every socket, rather than a closure per socket: each closure would carry its own type
 * feedback and be optimised separately, and a per-read hot path should be optimised once.
 */
function onClientRead(this: net.Socket, nread: number, buf: Uint8Array): boolean {
  const chunk = Buffer.allocUnsafe(nread);
  chunk.set(nread === buf.length ? buf : buf.subarray(0, nread));
  (this as unknown as { [owner]: ClientSocket })[owner].deliver(chunk);
  return true; // keep reading (pause/resume go through the socket)
}

export class ClientSocket {
  private reader: (chunk: Buffer) => void = () => {};

  private constructor(readonly socket: net.Socket) {
    (socket as unknown as { [owner]: ClientSocket })[owner] = this;
  }

  /** Wraps a socket accepted with `pauseOnConnect: true`. */
  static adopt(accepted: net.Socket): ClientSocket {
    const handle = (accepted as unknown as { _handle?: unknown })._handle;
    if (typeof handle !== 'object' || handle === null) {
      const c = new ClientSocket(accepted);
      accepted.on('data', (chunk: Buffer) => c.deliver(chunk));
      accepted.resume();
      return c;
    }
    (accepted as unknown as { _handle: unknown })._handle = null;
    accepted.destroy();
    const socket = new net.Socket({
      handle,
      readable: true,
      writable: true,
      allowHalfOpen: true, // replies owed are still sent after the client half-closes (see ClientSession)
      onread: { buffer: shared, callback: onClientRead },
    } as net.SocketConstructorOpts);
    const client = new ClientSocket(socket);
    socket.resume();
    return client;
  }

  /** Where bytes go from now on (the session, then the tunnel). */
  setReader(fn: (chunk: Buffer) => void): void {
    this.reader = fn;
  }

  deliver(chunk: Buffer): void {
    this.reader(chunk);
  }
}
