/** Minimal RESP client for test set-up and inspection (INFO commandstats, ROLE…), built on our framing. */
import net from 'node:net';
import { requestReply } from '@podbay/test-support';
import { decodeReply, type RespValue } from '../../src/resp/decode.js';
import { scanReply } from '../../src/resp/reply-scanner.js';
import { encodeCommand } from '../../src/resp/request-parser.js';

/** Sends one command on a fresh connection and resolves with the reply, decoded by our own decoder. */
export function command(port: number, args: readonly string[], timeoutMs = 2000): Promise<RespValue> {
  return requestReply(
    port,
    encodeCommand(args),
    (received) => {
      const end = scanReply(received, 0);
      return end >= 0 ? { reply: decodeReply(received.subarray(0, end)) } : undefined;
    },
    timeoutMs,
    args[0],
  );
}

/** Sends raw bytes and collects everything received until `until(received)` is true or the socket ends. */
export function exchange(
  port: number,
  bytes: Buffer,
  until: (received: Buffer) => boolean,
  timeoutMs = 3000,
): Promise<{ received: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    let done = false;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ received, closed });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (b) => {
      received = Buffer.concat([received, b]);
      if (until(received)) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
  });
}

/** Parses `INFO commandstats` into command → {calls, rejected}. */
export async function commandStats(port: number): Promise<Map<string, { calls: number; rejected: number }>> {
  const text = String(await command(port, ['INFO', 'commandstats']));
  const out = new Map<string, { calls: number; rejected: number }>();
  for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+),.*?rejected_calls=(\d+)/gm)) {
    out.set(m[1]!, { calls: Number(m[2]), rejected: Number(m[3]) });
  }
  return out;
}

export const calls = (stats: Map<string, { calls: number }>, cmd: string): number =>
  stats.get(cmd)?.calls ?? 0;
