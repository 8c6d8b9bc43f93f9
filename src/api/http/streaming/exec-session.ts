/**
 * One exec/attach session on an accepted v5 WebSocket: client frames feed the process's stdin and
 * terminal size; its stdout/stderr go out on channels 1/2; when it ends, one Status goes out on
 * channel 3 and the socket closes with 1000 (any other code is an error to client-go).
 *
 *   open → streaming → (process exits) → status sent → close(1000)
 *                    ↘ (client closes)  → process killed
 */
import { PassThrough, type Readable, Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import type { ExecSession } from '../../../runtime/types.js';
import {
  CHANNEL,
  ChannelFrameError,
  decodeClientFrame,
  encodeFrame,
  errorStatus,
  exitStatus,
} from './ws-channels.js';

export interface StreamFlags {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

interface SessionStreams {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
}

/**
 * A Writable that sends each chunk as one binary frame on `channel`. It completes each write at
 * once (ws queues frames in call order), so every byte is queued before the exit Status is.
 */
function channelWriter(ws: WebSocket, channel: number): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      if (ws.readyState === ws.OPEN) ws.send(encodeFrame(channel, chunk), { binary: true });
      done();
    },
  });
}

export function runChannelSession(
  ws: WebSocket,
  flags: StreamFlags,
  start: (streams: SessionStreams) => ExecSession,
  log: (msg: string) => void,
): void {
  const stdin = flags.stdin ? new PassThrough() : undefined;
  const stdout = flags.stdout ? channelWriter(ws, CHANNEL.stdout) : undefined;
  // With a TTY the terminal merges stderr into stdout, as kubelet does.
  const stderr = flags.stderr && !flags.tty ? channelWriter(ws, CHANNEL.stderr) : undefined;
  let session: ExecSession;
  try {
    session = start({
      ...(stdin ? { stdin } : {}),
      ...(stdout ? { stdout } : {}),
      ...(stderr ? { stderr } : {}),
    });
  } catch (e) {
    finish(errorStatus((e as Error).message));
    return;
  }
  let ended = false;

  ws.on('message', (data, isBinary) => {
    if (!isBinary) return; // client-go never sends text; ignore rather than kill the session
    try {
      const msg = decodeClientFrame(Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]));
      if (msg.type === 'stdin') stdin?.write(msg.data);
      else if (msg.type === 'resize') {
        // client-go may send 0×0 before it knows the terminal size; a zero size would hide output.
        if (msg.cols > 0 && msg.rows > 0) session.resize({ cols: msg.cols, rows: msg.rows });
      } else if (msg.channel === CHANNEL.stdin) stdin?.end();
    } catch (e) {
      if (!(e instanceof ChannelFrameError)) throw e;
      log(`exec: ignoring bad client frame: ${e.message}`);
    }
  });
  ws.on('close', () => {
    if (!ended) session.kill();
    stdin?.end();
  });
  ws.on('error', () => ws.terminate());

  session.exitCode.then(
    (code) => finish(exitStatus(code)),
    (e: unknown) => finish(errorStatus((e as Error).message)),
  );

  function finish(status: object) {
    ended = true;
    if (ws.readyState !== ws.OPEN) return;
    ws.send(encodeFrame(CHANNEL.error, JSON.stringify(status)), { binary: true }, () => ws.close(1000));
  }
}
