import assert from 'node:assert/strict';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { ApiGatewayListener } from './api-listener.js';

// A plain HTTP server stands in for the API: Node's https.Server takes handed-over sockets
// through the same 'connection' event. 127.0.0.2 is loopback on Linux without configuration.
let api: Server;
let port: number;

const fetchFrom = (host: string) =>
  new Promise<string>((resolve, reject) => {
    get({ host, port, path: '/who', agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });

before(async () => {
  api = createServer((req, res) => res.end(`served ${req.url} via ${req.socket.localAddress}`));
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', () => r()));
  port = (api.address() as AddressInfo).port;
});
after(() => new Promise<void>((r) => api.close(() => r())));

test('connections to the second address are served by the API server itself', async () => {
  const l = await ApiGatewayListener.listen(api, '127.0.0.2', port);
  try {
    assert.equal(await fetchFrom('127.0.0.2'), 'served /who via 127.0.0.2');
    assert.equal(await fetchFrom('127.0.0.1'), 'served /who via 127.0.0.1');
  } finally {
    l.close();
    l.close();
  }
  await assert.rejects(fetchFrom('127.0.0.2'), /ECONNREFUSED/);
});

test('a taken address is a bind error, not a silent success', async () => {
  await assert.rejects(ApiGatewayListener.listen(api, '127.0.0.1', port), /EADDRINUSE/);
});
