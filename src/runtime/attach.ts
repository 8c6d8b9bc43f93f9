/**
 * CRI Attach: one session on the container monitor's attach socket (shim/attach.c serves it and
 * documents the frames). The monitor, not the engine, owns the container's stdin and terminal, so
 * a session survives nothing but itself: ending it (kill, or the caller's stdin ending on a
 * `stdinOnce` container) never stops the container, and an engine restart loses only the
 * sessions open at the time.
 */
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { RuntimeError } from './errors.js';
import type { AttachOptions, ExecSession } from './types.js';

/** Frame types of the attach socket (shim/attach.c). */
export const ATTACH_FRAME = {
  stdin: 0,
  stdout: 1,
  stderr: 2,
  error: 3,
  resize: 4,
  hello: 16,
  closeStdin: 255,
} as const;
const HELLO_FLAG = { stdin: 1, stdout: 2, stderr: 4 } as const;
const HEAD = 5;
/** The shim refuses larger frames; stdin chunks are cut to this size. */
export const MAX_ATTACH_FRAME = 1 << 20;

/** sockaddr_un's sun_path holds 107 bytes and a NUL. */
const SUN_PATH_MAX = 107;

/**
 * The attach socket of the container whose runtime dir is `containerDir`, or undefined when the
 * path does not fit a unix socket address (a very long data dir): the container then runs
 * without attach rather than not at all.
 */
export function attachSocketPath(containerDir: string): string | undefined {
  const path = join(containerDir, 'attach');
  return Buffer.byteLength(path) <= SUN_PATH_MAX ? path : undefined;
}

export function encodeAttachFrame(type: number, payload: Buffer | string = Buffer.alloc(0)): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const out = Buffer.allocUnsafe(HEAD + body.length);
  out[0] = type;
  out.writeUInt32BE(body.length, 1);
  body.copy(out, HEAD);
  return out;
}

/**
 * Splits shim→client bytes into frames; returns the unconsumed tail. An ERROR frame (the shim
 * refused the session) and a frame type the shim never sends (an engine/shim mismatch must not
 * pass silently) throw.
 */
export function decodeAttachFrames(buf: Buffer, onFrame: (type: 1 | 2, payload: Buffer) => void): Buffer {
  let at = 0;
  while (buf.length - at >= HEAD) {
    const type = buf[at]!;
    const len = buf.readUInt32BE(at + 1);
    const known = type === ATTACH_FRAME.stdout || type === ATTACH_FRAME.stderr || type === ATTACH_FRAME.error;
    if (!known) {
      throw new RuntimeError('Attach', `attach socket: unexpected frame type ${type} at byte ${at}`);
    }
    if (len > MAX_ATTACH_FRAME) {
      throw new RuntimeError(
        'Attach',
        `attach socket: frame length ${len} at byte ${at + 1} exceeds ${MAX_ATTACH_FRAME}`,
      );
    }
    if (buf.length - at - HEAD < len) break;
    const payload = buf.subarray(at + HEAD, at + HEAD + len);
    if (type === ATTACH_FRAME.error) throw new RuntimeError('Attach', `attach refused: ${payload}`);
    onFrame(type as 1 | 2, payload);
    at += HEAD + len;
  }
  return buf.subarray(at);
}

function helloFlags(o: AttachOptions): number {
  return (
    (o.stdin ? HELLO_FLAG.stdin : 0) |
    (o.stdout ? HELLO_FLAG.stdout : 0) |
    // With a terminal there is no separate stderr (kubelet merges it), so it is never asked for.
    (o.stderr && !o.tty ? HELLO_FLAG.stderr : 0)
  );
}

/** Opens a session on `socketPath`; `exitCode` resolves 0 when the container's output ends. */
export function attachStream(socketPath: string, o: AttachOptions): ExecSession {
  const socket: Socket = connect(socketPath);
  socket.write(encodeAttachFrame(ATTACH_FRAME.hello, Buffer.from([helloFlags(o)])));
  let tail: Buffer = Buffer.alloc(0);
  let failure: Error | undefined;
  socket.on('data', (chunk: Buffer) => {
    try {
      tail = decodeAttachFrames(tail.length ? Buffer.concat([tail, chunk]) : chunk, (type, payload) => {
        const out = type === ATTACH_FRAME.stdout ? o.stdout : o.stderr;
        out?.write(payload);
      });
    } catch (e) {
      failure = e as Error;
      socket.destroy();
    }
  });
  const stdin = o.stdin;
  const onData = (b: Buffer | string) => {
    const data = typeof b === 'string' ? Buffer.from(b) : b;
    let flowing = true;
    for (let i = 0; i < data.length; i += MAX_ATTACH_FRAME) {
      flowing = socket.write(encodeAttachFrame(ATTACH_FRAME.stdin, data.subarray(i, i + MAX_ATTACH_FRAME)));
    }
    // The shim stops reading while the container does not read its stdin: pass that back.
    if (!flowing && stdin) {
      stdin.pause();
      socket.once('drain', () => stdin.resume());
    }
  };
  const onEnd = () => {
    if (!socket.destroyed) socket.write(encodeAttachFrame(ATTACH_FRAME.closeStdin));
  };
  stdin?.on('data', onData);
  stdin?.once('end', onEnd);
  const exitCode = new Promise<number>((resolve, reject) => {
    socket.on('error', (e: NodeJS.ErrnoException) => {
      failure ??=
        e.code === 'ENOENT' || e.code === 'ECONNREFUSED'
          ? new RuntimeError('Attach', `container is not running (no attach socket at ${socketPath})`)
          : e;
    });
    socket.once('close', () => {
      stdin?.off('data', onData);
      stdin?.off('end', onEnd);
      if (failure) reject(failure);
      else resolve(0);
    });
  });
  return {
    resize({ rows, cols }) {
      if (!o.tty || !Number.isInteger(rows) || !Number.isInteger(cols) || socket.destroyed) return;
      socket.write(encodeAttachFrame(ATTACH_FRAME.resize, `${rows} ${cols}`));
    },
    exitCode,
    kill() {
      socket.destroy();
    },
  };
}
