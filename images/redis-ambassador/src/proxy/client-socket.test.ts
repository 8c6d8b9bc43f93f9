import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ClientSocket } from './client-socket.js';

/** A server whose accepted sockets are adopted as the ambassador does; `onClient` sees each one. */
function serve(onClient: (c: ClientSocket) => void): Promise<net.Server> {
  const server = net.createServer({ pauseOnConnect: true }, (accepted) =>
    onClient(ClientSocket.adopt(accepted)),
  );
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const portOf = (s: net.Server): number => (s.address() as net.AddressInfo).port;

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1', () => resolve(c));
    c.once('error', reject);
  });
}

describe('ClientSocket (reads into one shared buffer)', () => {
  let server: net.Server;
  const clients: ClientSocket[] = [];
  const received = new Map<ClientSocket, Buffer[]>();

  before(async () => {
    server = await serve((c) => {
      clients.push(c);
      received.set(c, []);
      c.setReader((chunk) => received.get(c)!.push(chunk));
    });
  });

  after(async () => {
    for (const c of clients) c.socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('every byte arrives in order, and chunks handed over stay intact after later reads', async () => {
    // 3 MiB over two interleaved connections: many reads of up to 64 KiB into the same shared buffer. If a
    // chunk were a view of that buffer, the earlier ones would be overwritten by the time we compare.
    const payloads = [randomBytes(3 * 1024 * 1024), randomBytes(3 * 1024 * 1024)];
    const sockets = await Promise.all([connect(portOf(server)), connect(portOf(server))]);
    for (let off = 0; off < payloads[0]!.length; off += 50_000) {
      for (let i = 0; i < 2; i++) sockets[i]!.write(payloads[i]!.subarray(off, off + 50_000));
    }
    for (const s of sockets) s.end();
    const deadline = Date.now() + 10_000;
    const total = (): number =>
      [...received.values()].reduce((n, parts) => n + parts.reduce((m, p) => m + p.length, 0), 0);
    while (total() < 6 * 1024 * 1024 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const got = clients.slice(-2).map((c) => Buffer.concat(received.get(c)!));
    // Connection order on the server is not guaranteed: match by content.
    const matches = payloads.map((p) => got.some((g) => g.equals(p)));
    assert.deepEqual(matches, [true, true]);
  });

  test('pause stops delivery, resume continues it, and a new reader takes over', async () => {
    const socket = await connect(portOf(server));
    while (clients.length === 0 || received.get(clients.at(-1)!) === undefined)
      await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    const client = clients.at(-1)!;
    client.socket.pause();
    socket.write('while paused');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(received.get(client)!.length, 0, 'nothing is read while paused');
    const second: Buffer[] = [];
    client.setReader((b) => second.push(b));
    client.socket.resume();
    const deadline = Date.now() + 5000;
    while (Buffer.concat(second).toString() !== 'while paused' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    assert.equal(Buffer.concat(second).toString(), 'while paused');
    socket.destroy();
  });

  test('adopted sockets leave the server count: close() does not wait for sessions the ambassador closes', async () => {
    const s = await serve((c) => c.setReader(() => {}));
    const socket = await connect(portOf(s));
    await new Promise((r) => setTimeout(r, 20));
    const count = await new Promise<number>((resolve) => s.getConnections((_, n) => resolve(n)));
    assert.equal(count, 0, 'the adopted wrapper is not counted (the ambassador tracks its sessions)');
    await new Promise<void>((resolve) => s.close(() => resolve()));
    socket.destroy();
  });
});
