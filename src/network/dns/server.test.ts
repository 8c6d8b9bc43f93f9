/**
 * The DNS server end to end on 127.0.0.1: a real registry as the data source, node's own
 * resolver and `dig` (Debian bind9-dnsutils) as clients, a fake upstream on loopback as the
 * forwarding target.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import * as packet from 'dns-packet';
import { ObjectMirror, SERVICE_NETWORK_RESOURCES } from '../object-mirror.js';
import {
  createRunningPod,
  createService,
  setEndpointSlice,
  startTestApi,
  type TestApi,
} from '../testing/api.js';
import {
  decode,
  framed,
  query,
  rcodeOf,
  startFakeUpstream,
  tcpExchange,
  udpExchange,
} from '../testing/dns-wire.js';
import { notReady, ready } from '../testing/slices.js';
import { ClusterDnsServer } from './server.js';

const run = promisify(execFile);

async function dig(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(port), '+time=2', '+tries=1', ...args]);
  return stdout.trim();
}

describe('ClusterDnsServer', () => {
  let api: TestApi;
  let upstream: Awaited<ReturnType<typeof startFakeUpstream>>;
  let silent: Awaited<ReturnType<typeof startFakeUpstream>>;
  let dns: ClusterDnsServer;
  let deaf: ClusterDnsServer;
  let resolver: Resolver;
  let mirror: ObjectMirror;

  before(async () => {
    api = startTestApi();
    createService(api, 'apps', 'web', {
      clusterIP: '10.96.0.20',
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
    });
    createService(api, 'apps', 'db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] });
    setEndpointSlice(api, 'apps', 'db', {
      endpoints: [ready('10.244.0.5', 'db-0'), ready('10.244.0.6'), notReady('10.244.0.7')],
      ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
    });
    createRunningPod(api, 'apps', 'loner', '10.244.0.40');
    upstream = await startFakeUpstream({ 'example.test': '192.0.2.1' });
    silent = await startFakeUpstream({}, true);
    mirror = new ObjectMirror(api.client, SERVICE_NETWORK_RESOURCES);
    mirror.start();
    dns = new ClusterDnsServer(
      { mirror },
      { host: '127.0.0.1', port: 0, upstreams: [{ host: '127.0.0.1', port: upstream.port }] },
    );
    deaf = new ClusterDnsServer(
      { mirror },
      {
        host: '127.0.0.1',
        port: 0,
        upstreams: [{ host: '127.0.0.1', port: silent.port }],
        forwardTimeoutMs: 300,
      },
    );
    await dns.start();
    await deaf.start();
    resolver = new Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([`127.0.0.1:${dns.port}`]);
  });

  after(async () => {
    await dns.stop();
    await deaf.stop();
    await dns.stop(); // safe twice
    await upstream.close();
    await silent.close();
    mirror.stop();
    api.close();
  });

  test('A for a ClusterIP Service, full name, through node:dns and dig', async () => {
    assert.deepEqual(await resolver.resolve4('web.apps.svc.cluster.local'), ['10.96.0.20']);
    assert.equal(await dig(dns.port, '+short', 'web.apps.svc.cluster.local', 'A'), '10.96.0.20');
    const ttl = await resolver.resolve4('web.apps.svc.cluster.local', { ttl: true });
    assert.equal(ttl[0]?.ttl, 30);
  });

  test('headless: ready endpoint IPs only, per-endpoint names, SRV per endpoint', async () => {
    assert.deepEqual((await resolver.resolve4('db.apps.svc.cluster.local')).sort(), [
      '10.244.0.5',
      '10.244.0.6',
    ]);
    assert.deepEqual(await resolver.resolve4('db-0.db.apps.svc.cluster.local'), ['10.244.0.5']);
    const srv = await resolver.resolveSrv('_pg._tcp.db.apps.svc.cluster.local');
    assert.deepEqual(srv.map((s) => `${s.name}:${s.port}:${s.weight}`).sort(), [
      '10-244-0-6.db.apps.svc.cluster.local:5432:50',
      'db-0.db.apps.svc.cluster.local:5432:50',
    ]);
    const digSrv = await dig(dns.port, '+short', '_pg._tcp.db.apps.svc.cluster.local', 'SRV');
    assert.deepEqual(digSrv.split('\n').sort(), [
      '0 50 5432 10-244-0-6.db.apps.svc.cluster.local.',
      '0 50 5432 db-0.db.apps.svc.cluster.local.',
    ]);
  });

  test('SRV for a named port of a ClusterIP Service targets the Service name', async () => {
    const srv = await resolver.resolveSrv('_http._tcp.web.apps.svc.cluster.local');
    assert.deepEqual(srv, [{ name: 'web.apps.svc.cluster.local', port: 80, priority: 0, weight: 100 }]);
  });

  test('pod A records and PTR for service, endpoint and pod IPs', async () => {
    assert.deepEqual(await resolver.resolve4('10-244-0-40.apps.pod.cluster.local'), ['10.244.0.40']);
    assert.deepEqual(await resolver.reverse('10.96.0.20'), ['web.apps.svc.cluster.local']);
    assert.deepEqual(await resolver.reverse('10.244.0.5'), ['db-0.db.apps.svc.cluster.local']);
    assert.deepEqual(await resolver.reverse('10.244.0.40'), ['10-244-0-40.apps.pod.cluster.local']);
    assert.equal(await dig(dns.port, '+short', '-x', '10.96.0.20'), 'web.apps.svc.cluster.local.');
  });

  test('NXDOMAIN with the SOA in the authority section; AAAA of a v4-only name is NODATA', async () => {
    const r = decode(await udpExchange(dns.port, query('missing.apps.svc.cluster.local', 'A')));
    assert.equal(r.flags! & 0xf, 3);
    assert.equal(r.flag_aa, true);
    assert.equal(r.authorities?.[0]?.type, 'SOA');
    assert.equal(r.authorities?.[0]?.name, 'cluster.local');
    await assert.rejects(resolver.resolve4('missing.apps.svc.cluster.local'), { code: 'ENOTFOUND' });
    const aaaa = decode(await udpExchange(dns.port, query('web.apps.svc.cluster.local', 'AAAA')));
    assert.equal(aaaa.flags! & 0xf, 0);
    assert.deepEqual(aaaa.answers, []);
    assert.equal(aaaa.authorities?.[0]?.type, 'SOA');
    const digOut = await dig(dns.port, 'missing.apps.svc.cluster.local', 'A');
    assert.match(digOut, /status: NXDOMAIN/);
    assert.match(
      digOut,
      /AUTHORITY SECTION:\ncluster\.local\.\s+30\s+IN\s+SOA\s+ns\.dns\.cluster\.local\. hostmaster\.cluster\.local\./,
    );
  });

  test('other names go to the upstream; a silent upstream gives SERVFAIL after the timeout', async () => {
    assert.deepEqual(await resolver.resolve4('example.test'), ['192.0.2.1']);
    assert.ok(upstream.queries.includes('example.test/A/udp'), upstream.queries.join());
    // Over TCP the query goes upstream over TCP too.
    assert.equal(await dig(dns.port, '+tcp', '+short', 'example.test', 'A'), '192.0.2.1');
    assert.ok(upstream.queries.includes('example.test/A/tcp'));
    await assert.rejects(resolver.resolve4('nothing.example.test'), { code: 'ENOTFOUND' });
    const started = Date.now();
    const reply = await udpExchange(deaf.port, query('example.test', 'A'), 2000);
    assert.ok(reply, 'a SERVFAIL reply, not silence');
    assert.equal(rcodeOf(reply), 2);
    const took = Date.now() - started;
    assert.ok(took >= 250 && took < 1500, `SERVFAIL after the 300 ms timeout, took ${took} ms`);
  });

  test('an answer too big for UDP is truncated (TC) and complete over TCP', async () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ ip: `10.244.1.${i + 1}` }));
    createService(api, 'apps', 'big', { clusterIP: 'None' });
    setEndpointSlice(api, 'apps', 'big', { endpoints: many.map((a) => ready(a.ip)) });
    await waitFor(async () => {
      const r = decode(
        await tcpExchange(dns.port, framed(query('big.apps.svc.cluster.local', 'A'))).then(
          (x) => x.replies[0],
        ),
      );
      return r.answers?.length === 20;
    });
    const udp = decode(await udpExchange(dns.port, query('big.apps.svc.cluster.local', 'A')));
    assert.equal(udp.flag_tc, true);
    assert.deepEqual(udp.answers, []);
    // EDNS raises the UDP limit: 20 A records (about 850 bytes: dns-packet does not compress names) fit in 1232.
    const edns = decode(await udpExchange(dns.port, query('big.apps.svc.cluster.local', 'A', 7, 4096)));
    assert.equal(edns.flag_tc, false);
    assert.equal(edns.answers?.length, 20);
    // dig retries over TCP by itself when it sees TC.
    assert.equal(
      (await dig(dns.port, '+noedns', '+short', 'big.apps.svc.cluster.local', 'A')).split('\n').length,
      20,
    );
    assert.deepEqual((await resolver.resolve4('big.apps.svc.cluster.local')).length, 20);
  });

  test('malformed and oversized queries get FORMERR or are dropped, and the server keeps answering', async () => {
    assert.equal(
      await udpExchange(dns.port, Buffer.from([1, 2, 3]), 200),
      undefined,
      'shorter than a header: dropped',
    );
    const truncatedQuestion = query('web.apps.svc.cluster.local', 'A').subarray(0, 20);
    assert.equal(rcodeOf((await udpExchange(dns.port, truncatedQuestion))!), 1);
    const twoQuestions = packet.encode({
      id: 9,
      type: 'query',
      questions: [
        { name: 'a', type: 'A' },
        { name: 'b', type: 'A' },
      ],
    });
    assert.equal(rcodeOf((await udpExchange(dns.port, twoQuestions))!), 1);
    const oversized = Buffer.concat([query('web.apps.svc.cluster.local', 'A'), Buffer.alloc(600)]);
    const big = (await udpExchange(dns.port, oversized))!;
    assert.equal(rcodeOf(big), 1);
    assert.equal(big.readUInt16BE(0), 4242, 'FORMERR echoes the query ID');
    const notQuery = Buffer.from(query('web.apps.svc.cluster.local', 'A'));
    notQuery.writeUInt16BE(notQuery.readUInt16BE(2) | (2 << 11), 2); // opcode STATUS
    assert.equal(rcodeOf((await udpExchange(dns.port, notQuery))!), 4);
    const response = Buffer.from(query('web.apps.svc.cluster.local', 'A'));
    response.writeUInt16BE(response.readUInt16BE(2) | 0x8000, 2);
    assert.equal(await udpExchange(dns.port, response, 200), undefined, 'a response is never answered');
    const tcpBig = await tcpExchange(dns.port, Buffer.from([0xff, 0xff, 1, 2, 3]), 1, 1000);
    assert.equal(tcpBig.closed, true, 'an oversized TCP frame closes the connection');

    // Bounded fuzz: random bytes and bit-flipped valid queries, 1500 datagrams.
    const base = query('web.apps.svc.cluster.local', 'A');
    for (let i = 0; i < 1500; i++) {
      const msg = i % 2 ? randomBytes(1 + (i % 300)) : Buffer.from(base);
      if (i % 2 === 0)
        for (let k = 0; k < 4; k++) msg[12 + ((i * 7 + k * 13) % (base.length - 12))]! ^= 1 << (i % 8);
      msg.writeUInt16BE(msg.readUInt16BE(0), 0);
      await udpExchange(dns.port, msg, 5).catch(() => undefined);
    }
    // Pipelined TCP with a garbage frame in the middle.
    const pipelined = Buffer.concat([
      framed(query('web.apps.svc.cluster.local', 'A', 1)),
      framed(randomBytes(40)),
      framed(query('db.apps.svc.cluster.local', 'A', 2)),
    ]);
    const tcp = await tcpExchange(dns.port, pipelined, 3);
    assert.ok(tcp.replies.length >= 2);
    assert.deepEqual(await resolver.resolve4('web.apps.svc.cluster.local'), ['10.96.0.20']);
  });

  test('a change to an EndpointSlice shows in answers within 1 s', async () => {
    const changed = Date.now();
    setEndpointSlice(api, 'apps', 'db', {
      endpoints: [ready('10.244.0.8')],
      ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
    });
    await waitFor(async () => (await resolver.resolve4('db.apps.svc.cluster.local')).join() === '10.244.0.8');
    assert.ok(Date.now() - changed < 1000, `took ${Date.now() - changed} ms`);
    api.client.delete('services', 'apps', 'web');
    await waitFor(
      async () =>
        (await resolver.resolve4('web.apps.svc.cluster.local').catch((e) => e.code)) === 'ENOTFOUND',
    );
  });

  test('a restarted server rebuilds every record from a full list', async () => {
    const fresh = new ObjectMirror(api.client, SERVICE_NETWORK_RESOURCES);
    fresh.start();
    const again = new ClusterDnsServer({ mirror: fresh }, { host: '127.0.0.1', port: 0, upstreams: [] });
    await again.start();
    try {
      const r = new Resolver({ timeout: 1000, tries: 1 });
      r.setServers([`127.0.0.1:${again.port}`]);
      assert.deepEqual(await r.resolve4('db.apps.svc.cluster.local'), ['10.244.0.8']);
    } finally {
      await again.stop();
      fresh.stop();
    }
  });
});

/** Polls `check` every 20 ms for at most 1 s. */
async function waitFor(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 1000;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail('condition not met within 1 s');
}
