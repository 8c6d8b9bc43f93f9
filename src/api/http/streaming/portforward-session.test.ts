/**
 * The port-forward session against a real TCP server on loopback, driven by SPDY frames as
 * kubectl's client writes them (header blocks compressed by real zlib with the dictionary).
 */
import assert from 'node:assert/strict';
import { connect, createServer, type Server } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { constants, createDeflate, type Deflate } from 'node:zlib';
import { PortForwardSession, type SpdyTransport } from './portforward-session.js';
import { SPDY3_DICTIONARY } from './spdy-dictionary.js';
import { encodeData, encodePing, type SpdyFrame, SpdyFrameReader } from './spdy-frames.js';
import { HeaderInflater, serializeHeaders } from './spdy-headers.js';

/** The client half: builds SYN_STREAMs on one zlib stream and decodes what the server sends. */
class SpdyClient {
  readonly frames: SpdyFrame[] = [];
  readonly #z: Deflate = createDeflate({ dictionary: SPDY3_DICTIONARY });
  readonly #reader = new SpdyFrameReader(new HeaderInflater());
  closed = false;
  #toServer: (b: Buffer) => void = () => {};
  readonly transport: SpdyTransport;

  constructor() {
    const onClose: (() => void)[] = [];
    this.transport = {
      write: (b) => this.frames.push(...this.#reader.push(b)),
      close: () => {
        this.closed = true;
        for (const cb of onClose) cb();
      },
      onData: (cb) => {
        this.#toServer = cb;
      },
      onClose: (cb) => onClose.push(cb),
    };
  }

  async synStream(streamId: number, headers: Record<string, string>, fin = false): Promise<void> {
    const chunks: Buffer[] = [];
    const onData = (c: Buffer) => chunks.push(c);
    this.#z.on('data', onData);
    this.#z.write(serializeHeaders(headers));
    await new Promise<void>((r) => this.#z.flush(constants.Z_SYNC_FLUSH, () => r()));
    this.#z.off('data', onData);
    const block = Buffer.concat(chunks);
    const head = Buffer.alloc(18);
    head.writeUInt16BE(0x8003, 0);
    head.writeUInt16BE(1, 2);
    head[4] = fin ? 1 : 0;
    head.writeUIntBE(10 + block.length, 5, 3);
    head.writeUInt32BE(streamId, 8);
    this.send(Buffer.concat([head, block]));
  }

  send(bytes: Buffer): void {
    // Cut into small pieces: a WebSocket tunnel may split the byte stream anywhere.
    for (let i = 0; i < bytes.length; i += 5) this.#toServer(bytes.subarray(i, i + 5));
  }

  dataOn(streamId: number): string {
    return this.frames
      .filter((f) => f.type === 'data' && f.streamId === streamId)
      .map((f) => (f.type === 'data' ? f.data.toString() : ''))
      .join('');
  }

  finOn(streamId: number): boolean {
    return this.frames.some((f) => f.type === 'data' && f.streamId === streamId && f.fin);
  }

  close(): void {
    this.#z.close();
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), `timed out waiting for ${what}`);
}

describe('port-forward session', () => {
  let echo: Server;
  let port = 0;
  before(async () => {
    // Answers one line, then closes its side: like an HTTP/1.0 server.
    echo = createServer((s) => s.once('data', (d) => s.end(`echo:${d}`)));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    port = (echo.address() as { port: number }).port;
  });
  after(() => new Promise<void>((r) => echo.close(() => r())));

  const session = (client: SpdyClient, logs: string[] = []) =>
    new PortForwardSession(client.transport, {
      dial: async (p) => {
        const s = connect(p, '127.0.0.1');
        await new Promise<void>((resolve, reject) => s.once('connect', resolve).once('error', reject));
        return s;
      },
      log: (m) => logs.push(m),
    });

  test('replies to both streams, pipes data (even sent before the dial finished), and FINs both', async () => {
    const client = new SpdyClient();
    const s = session(client);
    await client.synStream(1, { streamtype: 'error', port: String(port), requestid: '0' });
    client.send(Buffer.concat(encodeData(1, Buffer.alloc(0), true)));
    await client.synStream(3, { streamtype: 'data', port: String(port), requestid: '0' });
    client.send(Buffer.concat(encodeData(3, Buffer.from('hello'), false)));
    await until(() => client.finOn(1) && client.finOn(3), 'FIN on both streams');
    const replies = client.frames.filter((f) => f.type === 'ignored' && f.frameType === 2);
    assert.equal(replies.length, 2, 'one SYN_REPLY per stream');
    assert.equal(client.dataOn(3), 'echo:hello');
    assert.equal(client.dataOn(1), '', 'no error text');
    s.close();
    client.close();
  });

  test('echoes PING and sends the dial error on the error stream', async () => {
    const client = new SpdyClient();
    const logs: string[] = [];
    const s = session(client, logs);
    client.send(encodePing(41));
    await until(() => client.frames.some((f) => f.type === 'ping' && f.id === 41), 'PING echo');
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadPort = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await client.synStream(5, { streamtype: 'error', port: String(deadPort), requestid: '7' });
    await client.synStream(7, { streamtype: 'data', port: String(deadPort), requestid: '7' });
    await until(() => client.finOn(5) && client.finOn(7), 'FIN on both streams');
    assert.match(
      client.dataOn(5),
      new RegExp(`error forwarding port ${deadPort} to pod: connect ECONNREFUSED`),
    );
    assert.equal(logs.length, 1);
    s.close();
    client.close();
  });

  test('an invalid port header is reported on the error stream; a bad streamtype is reset', async () => {
    const client = new SpdyClient();
    const s = session(client);
    await client.synStream(1, { streamtype: 'error', port: 'http', requestid: '1' });
    await client.synStream(3, { streamtype: 'data', port: 'http', requestid: '1' });
    await until(() => client.finOn(1), 'FIN on the error stream');
    assert.equal(client.dataOn(1), 'invalid port "http": must be an integer 1-65535');
    await client.synStream(9, { streamtype: 'bogus', port: '80', requestid: '2' });
    await until(() => client.frames.some((f) => f.type === 'rstStream' && f.streamId === 9), 'RST_STREAM');
    s.close();
    client.close();
  });

  test('a protocol error closes the connection', async () => {
    const client = new SpdyClient();
    session(client);
    client.send(Buffer.from([0x80, 0x02, 0, 1, 0, 0, 0, 0]));
    assert.equal(client.closed, true);
    client.close();
  });
});
