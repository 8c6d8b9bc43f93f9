/**
 * Just enough RESP2 to set up and inspect a real redis-server (PING, ROLE, INFO…) without a client
 * library: one command per connection, the reply decoded into plain values.
 */
import net from 'node:net';

/** An error reply (`-ERR …`, `-NOAUTH …`), returned rather than thrown. */
export class RedisReplyError extends Error {
  override readonly name = 'RedisReplyError';
}

export type RedisReply = string | number | null | RedisReplyError | RedisReply[];

/** Decodes one reply at `at`: the value and the offset after it, or undefined while incomplete. */
function decode(buf: Buffer, at: number): [RedisReply, number] | undefined {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return undefined;
  const line = buf.toString('utf8', at + 1, eol);
  const next = eol + 2;
  switch (buf[at]) {
    case 0x2b: // +
      return [line, next];
    case 0x2d: // -
      return [new RedisReplyError(line), next];
    case 0x3a: // :
      return [Number(line), next];
    case 0x24: {
      // $
      const n = Number(line);
      if (n < 0) return [null, next];
      if (buf.length < next + n + 2) return undefined;
      return [buf.toString('utf8', next, next + n), next + n + 2];
    }
    case 0x2a: {
      // *
      const n = Number(line);
      if (n < 0) return [null, next];
      const items: RedisReply[] = [];
      let p = next;
      for (let i = 0; i < n; i++) {
        const item = decode(buf, p);
        if (!item) return undefined;
        items.push(item[0]);
        p = item[1];
      }
      return [items, p];
    }
    default:
      throw new Error(`not a RESP reply (type byte ${buf[at]})`);
  }
}

const encode = (args: readonly string[]): string =>
  `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;

/** Sends one command to 127.0.0.1:`port` on a fresh connection and resolves with the decoded reply. */
export function redisCommand(port: number, args: readonly string[], timeoutMs = 2000): Promise<RedisReply> {
  return requestReply(
    port,
    encode(args),
    (received) => {
      const decoded = decode(received, 0);
      return decoded && { reply: decoded[0] };
    },
    timeoutMs,
    args[0],
  );
}

/**
 * Writes `request` to 127.0.0.1:`port` on a fresh connection and resolves with what `parse` makes of
 * the bytes received so far, once it returns a value (undefined: not complete yet). Rejects when `parse`
 * throws, on a socket error, when the server hangs up first, or after `timeoutMs`.
 */
export function requestReply<T>(
  port: number,
  request: Buffer | string,
  parse: (received: Buffer) => { reply: T } | undefined,
  timeoutMs = 2000,
  what = 'the request',
): Promise<T> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let buf = Buffer.alloc(0);
    const fail = (e: unknown): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(e);
    };
    const timer = setTimeout(
      () => fail(new Error(`no reply to ${what} from port ${port} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on('connect', () => socket.write(request));
    socket.on('data', (b) => {
      buf = Buffer.concat([buf, b]);
      try {
        const parsed = parse(buf);
        if (!parsed) return;
        clearTimeout(timer);
        socket.destroy();
        resolve(parsed.reply);
      } catch (e) {
        fail(e);
      }
    });
    socket.on('error', fail);
    // After a reply this is a no-op; before one, the server hung up on us.
    socket.on('close', () =>
      fail(new Error(`port ${port} closed the connection before replying to ${what}`)),
    );
  });
}
