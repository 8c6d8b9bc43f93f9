/**
 * Root test: a pod's shared namespaces and network, against the real kernel.
 * Two containers talk over localhost; an emptyDir-like bind mount shared with one side readOnly;
 * hostname and /etc/hosts; pod IP reachable from the host; port-forward; no egress.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { droppedEgressPackets } from '../network/bridge.js';
import {
  assertMachineClean,
  createTestRuntime,
  eventually,
  sandboxConfig,
  type TestRuntime,
} from './testing/harness.js';

const SERVER = `require('http').createServer((q, s) => s.end('hello from ' + require('os').hostname())).listen(8080, '0.0.0.0')`;

describe('pod sandbox networking and sharing', { timeout: 60_000 }, () => {
  let t: TestRuntime;
  let sandbox = '';
  let volume = '';
  before(async () => {
    t = await createTestRuntime();
    sandbox = await t.rt.runPodSandbox(sandboxConfig('web-1'));
    // Volumes live under the data dir, as kubelet's do; containers see only their own mount of it.
    volume = join(t.dataDir, 'pods', 'uid-web-1', 'volumes', 'shared');
    mkdirSync(volume, { recursive: true });
  });
  after(async () => {
    const dataDir = t.dataDir;
    await t.close();
    assertMachineClean(dataDir);
  });

  const startContainer = async (name: string, argv: string[], mounts: { readonly: boolean }[] = []) => {
    const id = await t.rt.createContainer(sandbox, {
      metadata: { name, attempt: 0 },
      image: 'node:20',
      argv,
      logPath: `${name}/0.log`,
      mounts: mounts.map((m) => ({ hostPath: volume, containerPath: '/shared', readonly: m.readonly })),
    });
    await t.rt.startContainer(id);
    return id;
  };

  test('hostname is the pod name and /etc/hosts names the pod IP', async () => {
    const id = await startContainer('probe', ['sleep', '60']);
    const status = await t.rt.podSandboxStatus(sandbox);
    assert.equal(status.state, 'SANDBOX_READY');
    assert.match(status.ip, /^10\.244\.\d+\.\d+$/);
    const r = await t.rt.execSync(id, ['sh', '-c', 'hostname; cat /etc/hosts; cat /etc/resolv.conf']);
    const out = r.stdout.toString();
    assert.equal(out.split('\n')[0], 'web-1');
    assert.match(out, new RegExp(`^${status.ip.replaceAll('.', '\\.')}\\tweb-1$`, 'm'));
    assert.match(out, /^nameserver 10\.96\.0\.10$/m);
    assert.match(out, /^search test\.svc\.cluster\.local svc\.cluster\.local$/m);
  });

  test('two containers talk over localhost, and the pod IP is reachable from the host', async () => {
    await startContainer('server', ['node', '-e', SERVER]);
    const client = await startContainer('client', ['sleep', '60']);
    const fetchScript = `require('http').get('http://127.0.0.1:8080', r => { let b=''; r.on('data', d => b += d); r.on('end', () => { console.log(b); }) }).on('error', e => { console.error(e.message); process.exit(2) })`;
    const viaLocalhost = await eventually(
      async () => {
        const r = await t.rt.execSync(client, ['node', '-e', fetchScript], 10);
        return r.exitCode === 0 ? r.stdout.toString().trim() : undefined;
      },
      10_000,
      'server on localhost',
    );
    assert.equal(viaLocalhost, 'hello from web-1');
    const { ip } = await t.rt.podSandboxStatus(sandbox);
    const fromHost = await new Promise<string>((resolve, reject) => {
      request({ host: ip, port: 8080, timeout: 3000 }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve(body));
      })
        .on('error', reject)
        .end();
    });
    assert.equal(fromHost, 'hello from web-1');
  });

  test('port-forward reaches a port bound to 127.0.0.1 inside the pod', async () => {
    await startContainer('loopback-only', [
      'node',
      '-e',
      `require('net').createServer(s => s.end('pong\\n')).listen(9090, '127.0.0.1')`,
    ]);
    const reply = await eventually(
      async () => {
        const stream = await t.rt.portForward(sandbox, 9090);
        const chunks: Buffer[] = [];
        const ok = await new Promise<boolean>((resolve) => {
          stream.on('data', (d: Buffer) => chunks.push(d));
          stream.on('end', () => resolve(true));
          stream.on('error', () => resolve(false));
          stream.end();
        });
        return ok && chunks.length > 0 ? Buffer.concat(chunks).toString() : undefined;
      },
      10_000,
      'port-forward',
    );
    assert.equal(reply, 'pong\n');
  });

  test('a shared volume: the writer writes, the readOnly reader reads and cannot write', async () => {
    const writer = await startContainer('writer', ['sleep', '60'], [{ readonly: false }]);
    const reader = await startContainer('reader', ['sleep', '60'], [{ readonly: true }]);
    const w = await t.rt.execSync(writer, ['sh', '-c', 'echo from-writer > /shared/msg']);
    assert.equal(w.exitCode, 0, w.stderr.toString());
    const r = await t.rt.execSync(reader, ['cat', '/shared/msg']);
    assert.equal(r.stdout.toString(), 'from-writer\n');
    const denied = await t.rt.execSync(reader, ['sh', '-c', 'echo x > /shared/other']);
    assert.notEqual(denied.exitCode, 0);
    assert.match(denied.stderr.toString(), /Read-only file system/);
    assert.equal(readFileSync(join(volume, 'msg'), 'utf8'), 'from-writer\n');
  });

  test('no egress: a connection to an address beyond this machine is dropped by podbay', async () => {
    const id = await startContainer('egress', ['sleep', '60']);
    // Forwarding on, so the packet reaches podbay's forward rule instead of being dropped for lack of
    // routing; restored afterwards. 192.0.2.1 is TEST-NET-1: never routed anywhere.
    const forwardPath = '/proc/sys/net/ipv4/ip_forward';
    const saved = readFileSync(forwardPath, 'utf8').trim();
    writeFileSync(forwardPath, '1');
    try {
      const before = await droppedEgressPackets();
      const script = `const s = require('net').connect(80, '192.0.2.1'); s.setTimeout(1500, () => process.exit(3)); s.on('connect', () => process.exit(0)); s.on('error', () => process.exit(4))`;
      const r = await t.rt.execSync(id, ['node', '-e', script], 10);
      assert.notEqual(r.exitCode, 0, 'the connection must not succeed');
      assert.ok((await droppedEgressPackets()) > before, 'podbay must have dropped the packets');
    } finally {
      writeFileSync(forwardPath, saved);
    }
  });

  test("shareProcessNamespace: containers see each other's processes; tmpfs mounts", async () => {
    const shared = await t.rt.runPodSandbox(sandboxConfig('shared-pid', { shareProcessNamespace: true }));
    const start = async (name: string, argv: string[]) => {
      const id = await t.rt.createContainer(shared, {
        metadata: { name, attempt: 0 },
        image: 'busybox',
        argv,
        logPath: `${name}/0.log`,
        tmpfs: [{ containerPath: '/scratch', sizeBytes: 1024 * 1024 }],
      });
      await t.rt.startContainer(id);
      return id;
    };
    await start('a', ['sleep', '61']);
    const b = await start('b', ['sleep', '62']);
    const r = await t.rt.execSync(b, [
      'sh',
      '-c',
      'cat /proc/[0-9]*/cmdline | tr "\\0" " "; stat -f -c %T /scratch',
    ]);
    const out = r.stdout.toString();
    assert.match(out, /sleep 61/);
    assert.match(out, /sleep 62/);
    assert.match(out, /tmpfs\n$/);
    await t.rt.removePodSandbox(shared);
    assert.deepEqual(await t.rt.listContainers({ sandboxId: shared }), []);
  });
});
