import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SourceError } from '../errors.js';
import { createSourceReader } from './source-reader.js';

const RESPONSE =
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nConnection: keep-alive\r\n\r\nup_total 1';

describe('HTTP source reader', () => {
  test('a kept-alive socket reset by the app is retried once on a fresh connection, not reported', async () => {
    // Each connection answers its first request, then resets on the second: what a restarted app or
    // an idle timeout racing our next request looks like.
    let connections = 0;
    const server = net.createServer((socket) => {
      connections++;
      let requests = 0;
      socket.on('data', () => {
        requests++;
        if (requests === 1) socket.write(RESPONSE.replace('Content-Length: 9', 'Content-Length: 10'));
        else socket.resetAndDestroy();
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    const reader = createSourceReader(`http://127.0.0.1:${port}/admin/stats`, { maxBytes: 1024 });
    try {
      assert.equal((await reader.read(2000)).toString(), 'up_total 1');
      assert.equal((await reader.read(2000)).toString(), 'up_total 1');
      assert.equal(connections, 2);
    } finally {
      reader.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  test('connection refused is reason connect', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    const reader = createSourceReader(`http://127.0.0.1:${port}/`, { maxBytes: 1024 });
    await assert.rejects(
      reader.read(2000),
      (err: unknown) => err instanceof SourceError && err.reason === 'connect',
    );
    reader.close();
  });
});

describe('file source reader', () => {
  test('reads, refuses oversize files, reports a missing file as connect', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'metrics-adapter-file-'));
    try {
      const path = join(dir, 'stats.txt');
      writeFileSync(path, 'requests_total 3\n');
      assert.equal(
        (await createSourceReader(path, { maxBytes: 1024 }).read(1000)).toString(),
        'requests_total 3\n',
      );
      assert.equal(
        (await createSourceReader(`file://${path}`, { maxBytes: 1024 }).read(1000)).toString(),
        'requests_total 3\n',
      );
      await assert.rejects(createSourceReader(path, { maxBytes: 4 }).read(1000), /too_large/);
      await assert.rejects(
        createSourceReader(join(dir, 'none'), { maxBytes: 4 }).read(1000),
        (err: unknown) => err instanceof SourceError && err.reason === 'connect',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
