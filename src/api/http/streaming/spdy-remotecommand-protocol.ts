/**
 * The remotecommand protocols that exec and attach speak over SPDY/3.1 (kubelet's
 * pkg/kubelet/cri/streaming/remotecommand/httpstream.go, client-go tools/remotecommand), pure:
 *
 *   - negotiation: the client lists versions in `X-Stream-Protocol-Version` (repeated headers
 *     and/or comma-separated); the first one the server also speaks wins (httpstream.Handshake);
 *   - streams: one SPDY stream per `streamtype` header: `error` always, `stdin`/`stdout`/`stderr`
 *     as requested (no stderr with a tty), `resize` with a tty from v3 on;
 *   - the error stream: v4 carries the final metav1.Status as JSON (exit code in
 *     details.causes[reason=ExitCode]); v1-v3 carry the failure message as plain text, and
 *     nothing on success;
 *   - the resize stream: a sequence of JSON objects `{"Width":w,"Height":h}` (Go's json.Encoder,
 *     one per line), cut anywhere by the transport.
 */
import { ApiError, badRequest } from '../../errors.js';
import type { StreamFlags } from './exec-session.js';

/** Server preference order, as kubelet's SupportedStreamingProtocols lists them. */
export const REMOTECOMMAND_PROTOCOLS = [
  'v4.channel.k8s.io',
  'v3.channel.k8s.io',
  'v2.channel.k8s.io',
  'channel.k8s.io',
] as const;
export type RemoteCommandProtocol = (typeof REMOTECOMMAND_PROTOCOLS)[number];

export const STREAM_TYPES = ['error', 'stdin', 'stdout', 'stderr', 'resize'] as const;
export type StreamType = (typeof STREAM_TYPES)[number];

export function isStreamType(v: string | undefined): v is StreamType {
  return (STREAM_TYPES as readonly string[]).includes(v ?? '');
}

/**
 * httpstream.Handshake: the first protocol in the client's list that the server speaks. A
 * missing header is a 400 and no common protocol a 403, both with upstream's message; on a 403
 * `onRefused` receives the versions for `X-Accepted-Stream-Protocol-Versions`.
 */
export function negotiateRemoteCommand(
  header: string | string[] | undefined,
  onRefused: (accepted: readonly string[]) => void = () => {},
): RemoteCommandProtocol {
  const offered = (Array.isArray(header) ? header : header === undefined ? [] : [header])
    .flatMap((h) => h.split(','))
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (offered.length === 0) {
    throw badRequest('unable to upgrade: X-Stream-Protocol-Version is required');
  }
  const chosen = offered.find((p): p is RemoteCommandProtocol =>
    (REMOTECOMMAND_PROTOCOLS as readonly string[]).includes(p),
  );
  if (chosen) return chosen;
  onRefused(REMOTECOMMAND_PROTOCOLS);
  throw new ApiError(
    403,
    'Forbidden',
    `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], ` +
      `server accepts [${REMOTECOMMAND_PROTOCOLS.join(' ')}]`,
  );
}

/** v3 added the resize stream; v4 the JSON Status on the error stream. */
export const supportsResize = (p: RemoteCommandProtocol): boolean =>
  p === 'v4.channel.k8s.io' || p === 'v3.channel.k8s.io';

/**
 * The streams the session waits for before it starts the process (kubelet's expectedStreams).
 * `flags` are the session's flags, stderr already dropped when there is a tty.
 */
export function expectedStreams(p: RemoteCommandProtocol, flags: StreamFlags): Set<StreamType> {
  const out = new Set<StreamType>(['error']);
  if (flags.stdin) out.add('stdin');
  if (flags.stdout) out.add('stdout');
  if (flags.stderr) out.add('stderr');
  if (flags.tty && supportsResize(p)) out.add('resize');
  return out;
}

/** A metav1.Status as exec-session's `exitStatus`/`errorStatus` build it. */
export interface FinalStatus {
  status?: string;
  message?: string;
}

/** What goes on the error stream when the command ends; empty means write nothing. */
export function encodeFinalStatus(p: RemoteCommandProtocol, status: FinalStatus): Buffer {
  if (p === 'v4.channel.k8s.io') return Buffer.from(JSON.stringify(status));
  // v1WriteStatusFunc: success is silence, a failure is StatusError.Error(), i.e. the message.
  if (status.status === 'Success') return Buffer.alloc(0);
  return Buffer.from(status.message ?? 'unknown error');
}

export class ResizeStreamError extends Error {
  override readonly name = 'ResizeStreamError';
  readonly code = 'SPDY_RESIZE_STREAM';
}

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** Bounds one resize value, so a client cannot make the decoder buffer without end. */
const MAX_RESIZE_VALUE = 4096;

/**
 * Splits the resize stream into JSON values (like Go's json.Decoder reading a stream) and checks
 * each is `{"Width":uint16,"Height":uint16}`. Values are objects, so a value ends where its
 * braces balance outside strings.
 */
export class ResizeDecoder {
  /** Unconsumed text; always starts at a value boundary. */
  #pending = '';
  /** Offset in the whole stream of #pending's first character, for error messages. */
  #offset = 0;
  /** Where the value being scanned starts in #pending (-1: between values). */
  #start = -1;
  #scanned = 0;
  #depth = 0;
  #inString = false;
  #escaped = false;

  push(chunk: Buffer): TerminalSize[] {
    this.#pending += chunk.toString('utf8');
    const sizes: TerminalSize[] = [];
    while (this.#scanned < this.#pending.length) {
      const at = this.#scanned++;
      const c = this.#pending[at]!;
      if (this.#start < 0) {
        if (/\s/.test(c)) continue;
        if (c !== '{') {
          throw new ResizeStreamError(
            `resize stream: byte ${this.#offset + at}: expected '{' to start a size, got ${JSON.stringify(c)}`,
          );
        }
        this.#start = at;
        this.#depth = 1;
      } else if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (c === '\\') this.#escaped = true;
        else if (c === '"') this.#inString = false;
      } else if (c === '"') this.#inString = true;
      else if (c === '{') this.#depth++;
      else if (c === '}' && --this.#depth === 0) {
        sizes.push(this.#parse(this.#pending.slice(this.#start, at + 1), this.#offset + this.#start));
        this.#pending = this.#pending.slice(at + 1);
        this.#offset += at + 1;
        this.#scanned = 0;
        this.#start = -1;
      }
    }
    if (this.#start > 0) {
      // Keep only the value in progress.
      this.#pending = this.#pending.slice(this.#start);
      this.#offset += this.#start;
      this.#scanned -= this.#start;
      this.#start = 0;
    } else if (this.#start < 0) {
      this.#offset += this.#pending.length;
      this.#pending = '';
      this.#scanned = 0;
    }
    if (this.#pending.length > MAX_RESIZE_VALUE) {
      throw new ResizeStreamError(
        `resize stream: byte ${this.#offset}: a size value longer than ${MAX_RESIZE_VALUE} bytes`,
      );
    }
    return sizes;
  }

  #parse(text: string, at: number): TerminalSize {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      throw new ResizeStreamError(`resize stream: byte ${at}: ${JSON.stringify(text)} is not JSON`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      throw new ResizeStreamError(`resize stream: byte ${at}: ${text} is not an object`);
    }
    // Go decodes a missing field as 0 (and the session ignores a zero size).
    const { Width = 0, Height = 0 } = v as { Width?: unknown; Height?: unknown };
    const uint16 = (n: unknown): n is number =>
      Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 65535;
    if (!uint16(Width) || !uint16(Height)) {
      throw new ResizeStreamError(
        `resize stream: byte ${at}: Width and Height must be integers 0-65535, got ${text}`,
      );
    }
    return { cols: Width, rows: Height };
  }
}
