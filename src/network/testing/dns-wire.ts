/**
 * Raw DNS exchanges over loopback for tests: send exact bytes, get exact bytes back, so tests
 * can check flags, sections and malformed-input handling that resolver APIs hide. Also a tiny
 * upstream DNS server (the forwarding target in tests; never a real resolver).
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { type AddressInfo, createServer, Socket } from 'node:net';
import type { Answer, DecodedPacket, RecordType } from 'dns-packet';
import * as packet from 'dns-packet';

export function query(name: string, type: RecordType, id = 4242, edns?: number): Buffer {
  const additionals: Answer[] = edns
    ? [
        {
          type: 'OPT',
          name: '.',
          udpPayloadSize: edns,
          extendedRcode: 0,
          ednsVersion: 0,
          flags: 0,
          flag_do: false,
          options: [],
        },
      ]
    : [];
  return packet.encode({
    id,
    type: 'query',
    flags: packet.RECURSION_DESIRED,
    questions: [{ name, type, class: 'IN' }],
    additionals,
  });
}

/** Sends one datagram; resolves the first reply, or undefined after `timeoutMs`. */
export function udpExchange(port: number, msg: Buffer, timeoutMs = 1000): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    const timer = setTimeout(() => {
      sock.close();
      resolve(undefined);
    }, timeoutMs);
    sock.on('message', (reply) => {
      clearTimeout(timer);
      sock.close();
      resolve(reply);
    });
    sock.send(msg, port, '127.0.0.1');
  });
}

/** Writes `frames` (already length-prefixed or not, as given) and collects replies until `count` or close. */
export function tcpExchange(
  port: number,
  raw: Buffer,
  count = 1,
  timeoutMs = 1000,
): Promise<{ replies: Buffer[]; closed: boolean }> {
  return new Promise((resolve) => {
    const sock = new Socket();
    const replies: Buffer[] = [];
    let buf = Buffer.alloc(0);
    let closed = false;
    const finish = () => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ replies, closed });
    };
    const timer = setTimeout(finish, timeoutMs);
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        replies.push(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
      if (replies.length >= count) finish();
    });
    sock.on('close', () => {
      closed = true;
      finish();
    });
    sock.on('error', () => {});
    sock.connect(port, '127.0.0.1', () => sock.write(raw));
  });
}

export function framed(msg: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(msg.length);
  return Buffer.concat([len, msg]);
}

export const decode = (b: Buffer | undefined): DecodedPacket => {
  if (!b) throw new Error('no reply');
  return packet.decode(b);
};

export const rcodeOf = (b: Buffer): number => b.readUInt16BE(2) & 0xf;

/**
 * An upstream on 127.0.0.1 (UDP and TCP, same port) that answers A queries for names in
 * `answers` and NXDOMAIN otherwise, or never answers (`silent`). It records `name/type/transport`.
 * `at` picks another loopback address and a fixed port (a resolv.conf upstream is always :53).
 */
export async function startFakeUpstream(
  answers: Record<string, string>,
  silent = false,
  at: { host: string; port: number } = { host: '127.0.0.1', port: 0 },
): Promise<{ port: number; queries: string[]; close(): Promise<void> }> {
  const queries: string[] = [];
  const reply = (msg: Buffer, transport: string): Buffer | undefined => {
    let q: DecodedPacket;
    try {
      q = packet.decode(msg);
    } catch {
      return undefined; // fuzzed queries may be forwarded here: ignore what does not parse
    }
    const question = q.questions?.[0];
    if (!question) return undefined;
    queries.push(`${question.name}/${question.type}/${transport}`);
    if (silent) return undefined;
    const ip = answers[question.name.toLowerCase()];
    return packet.encode({
      id: q.id ?? 0,
      type: 'response',
      flags: packet.RECURSION_AVAILABLE | packet.RECURSION_DESIRED | (ip || question.type !== 'A' ? 0 : 3),
      questions: q.questions ?? [],
      answers: ip && question.type === 'A' ? [{ type: 'A', name: question.name, ttl: 60, data: ip }] : [],
    });
  };
  const conns = new Set<Socket>();
  const tcp = createServer((conn) => {
    conns.add(conn);
    conn.on('close', () => conns.delete(conn));
    let buf = Buffer.alloc(0);
    conn.on('error', () => {});
    conn.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 2 || buf.length < 2 + buf.readUInt16BE(0)) return;
      const r = reply(buf.subarray(2, 2 + buf.readUInt16BE(0)), 'tcp');
      if (r) conn.end(framed(r));
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(at.port, at.host, () => resolve());
  });
  const port = (tcp.address() as AddressInfo).port;
  // A UDP port is free far more often than a TCP one is; the bind fails loudly if not.
  const sock: UdpSocket = createSocket('udp4');
  sock.on('message', (msg, rinfo) => {
    const r = reply(msg, 'udp');
    if (r) sock.send(r, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(port, at.host, () => resolve());
  });
  return {
    port,
    queries,
    close: async () => {
      await new Promise<void>((r) => sock.close(() => r()));
      // server.close waits for open connections: end them so closing never hangs.
      for (const c of conns) c.destroy();
      await new Promise<void>((r) => tcp.close(() => r()));
    },
  };
}
