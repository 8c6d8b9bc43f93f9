/**
 * Password-protected backends (--password-file), a client authenticating as its own ACL user (replayed on
 * the replica connections it uses), and TLS to the backends (--tls with a private CA).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort, RedisGroup, type RedisServer, sleep, waitFor } from '@podbay/test-support';
import { Redis } from 'ioredis';
import type { Ambassador } from '../src/proxy/ambassador.js';
import { startAmbassador } from './support/ambassador.js';

const dir = mkdtempSync(join(tmpdir(), 'ambassador-auth-'));
const groups: RedisGroup[] = [];
const ambassadors: Ambassador[] = [];
const clients: Redis[] = [];
after(async () => {
  for (const c of clients) c.disconnect();
  for (const a of ambassadors) await a.stop();
  for (const g of groups) await g.stopAll();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a command directly on a server that requires a password. */
async function admin(port: number, args: string[], opts: Record<string, unknown> = {}): Promise<unknown> {
  const c = new Redis({ port, host: '127.0.0.1', password: 'masterpw', lazyConnect: true, ...opts });
  await c.connect();
  try {
    return await c.call(args[0]!, ...args.slice(1));
  } finally {
    c.disconnect();
  }
}

describe('password-protected backends and per-client ACL users', () => {
  let master: RedisServer;
  let replica: RedisServer;
  let ambassador: Ambassador;

  before(async () => {
    const group = new RedisGroup();
    groups.push(group);
    const auth = ['--requirepass', 'masterpw', '--masterauth', 'masterpw'];
    master = await group.startServer(auth);
    replica = await group.startServer([...auth, '--replicaof', '127.0.0.1', String(master.port)]);
    await waitFor('replica linked', async () => {
      const role = (await admin(replica.port, ['ROLE'])) as unknown[];
      return role[3] === 'connected';
    });
    for (const s of [master, replica])
      await admin(s.port, ['ACL', 'SETUSER', 'alice', 'on', '>alicepw', '~*', '+@all']);
    const pwFile = join(dir, 'password');
    writeFileSync(pwFile, 'masterpw\n');
    ambassador = await startAmbassador(master.port, [replica.port], ['--password-file', pwFile]);
    ambassadors.push(ambassador);
  });

  test('an app that sends no AUTH works through the configured password', async () => {
    const c = new Redis({ port: ambassador.address.port, host: '127.0.0.1' });
    clients.push(c);
    assert.equal(await c.set('auth:k', 'v'), 'OK');
    assert.equal(await c.get('auth:k'), 'v');
  });

  test("a client's own AUTH is replayed on the replica connections it uses", async () => {
    const c = new Redis({
      port: ambassador.address.port,
      host: '127.0.0.1',
      username: 'alice',
      password: 'alicepw',
    });
    clients.push(c);
    assert.equal(await c.set('alice:k', '1'), 'OK');
    await sleep(2200); // past the read-your-writes window: reads go to the replica
    assert.equal(await c.get('alice:k'), '1');
    const list = String(await admin(replica.port, ['CLIENT', 'LIST']));
    assert.match(list, /user=alice/, 'the replica has a connection authenticated as alice');
    await assert.rejects(
      new Redis({
        port: ambassador.address.port,
        host: '127.0.0.1',
        username: 'alice',
        password: 'wrong',
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      }).ping(),
      /WRONGPASS/,
    );
  });
});

describe('TLS to the backends', () => {
  let ambassador: Ambassador;
  let tlsPort: number;

  before(async () => {
    const openssl = (...args: string[]): void => {
      execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    };
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      '/CN=test-ca',
    );
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/CN=127.0.0.1',
    );
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
    openssl(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '2',
      '-extfile',
      'ext.cnf',
    );
    const group = new RedisGroup();
    groups.push(group);
    tlsPort = await freePort();
    await group.startServer([
      '--tls-port',
      String(tlsPort),
      '--tls-cert-file',
      join(dir, 'server.crt'),
      '--tls-key-file',
      join(dir, 'server.key'),
      '--tls-ca-cert-file',
      join(dir, 'ca.crt'),
      '--tls-auth-clients',
      'no',
    ]);
    ambassador = await startAmbassador(tlsPort, [], ['--tls', '--tls-ca-file', join(dir, 'ca.crt')]);
    ambassadors.push(ambassador);
  });

  test('commands reach a TLS-only port through the ambassador', async () => {
    const c = new Redis({ port: ambassador.address.port, host: '127.0.0.1' });
    clients.push(c);
    assert.equal(await c.set('tls:k', 'secure'), 'OK');
    assert.equal(await c.get('tls:k'), 'secure');
    assert.equal(ambassador.topology.currentMaster?.address.port, tlsPort);
  });
});
