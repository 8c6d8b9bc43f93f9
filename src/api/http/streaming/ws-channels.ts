/**
 * The `v5.channel.k8s.io` WebSocket framing (k8s.io/apimachinery/pkg/util/httpstream/wsstream):
 * every message is binary and starts with a channel byte. 0 stdin, 1 stdout, 2 stderr, 3 error
 * (one Status at the end), 4 resize (JSON `{"Width":w,"Height":h}`), and v5's 255 close signal,
 * `[255, channel]`, which half-closes that channel (the client sends it at stdin EOF).
 */
export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

export const V5_PROTOCOL = 'v5.channel.k8s.io';

export type ClientMessage =
  | { type: 'stdin'; data: Buffer }
  | { type: 'resize'; cols: number; rows: number }
  | { type: 'close'; channel: number };

export class ChannelFrameError extends Error {
  override readonly name = 'ChannelFrameError';
  readonly code = 'WS_CHANNEL_FRAME';
}

export function encodeFrame(channel: number, data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = channel;
  body.copy(out, 1);
  return out;
}

/** Decodes one client→server message; the server never accepts stdout/stderr/error from the client. */
export function decodeClientFrame(msg: Buffer): ClientMessage {
  if (msg.length === 0) throw new ChannelFrameError('empty message: byte 0 must be the channel');
  const channel = msg[0]!;
  const body = msg.subarray(1);
  switch (channel) {
    case CHANNEL.stdin:
      return { type: 'stdin', data: body };
    case CHANNEL.resize: {
      let size: unknown;
      try {
        size = JSON.parse(body.toString('utf8'));
      } catch {
        throw new ChannelFrameError('resize (channel 4): body is not JSON');
      }
      const { Width, Height } = (size ?? {}) as { Width?: unknown; Height?: unknown };
      if (!isDimension(Width) || !isDimension(Height)) {
        throw new ChannelFrameError('resize (channel 4): Width and Height must be integers 0-65535');
      }
      return { type: 'resize', cols: Width, rows: Height };
    }
    case CHANNEL.close:
      if (body.length !== 1)
        throw new ChannelFrameError('close signal (channel 255): must carry exactly one channel byte');
      return { type: 'close', channel: body[0]! };
    default:
      throw new ChannelFrameError(
        `channel ${channel} at byte 0: a client may only send on 0 (stdin), 4 (resize) or 255 (close)`,
      );
  }
}

const isDimension = (v: unknown): v is number =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535;

/** The Status kubelet writes on channel 3 when the command ends (remotecommand's v4 error stream). */
export function exitStatus(exitCode: number): object {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: exit status ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** A failure that is not an exit code (the container stopped, the command could not start). */
export function errorStatus(message: string): object {
  return { metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 };
}
