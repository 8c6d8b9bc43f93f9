/**
 * Root test, end to end: the stock kubectl against an in-process podbay API server whose
 * streaming handlers and metrics API sit on a real PodbayRuntime (real namespaces, cgroups and
 * shim-written CRI logs). Covers logs (-f, --previous, --tail, --timestamps, errors), exec (plain,
 * stdin, TTY through `script`, exit codes, errors), port-forward with curl, and top.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import { createTestRuntime, eventually, type TestRuntime } from '../../../runtime/testing/harness.js';
import { KUBECTL, StreamingApiHarness } from './testing/api-harness.js';
import { RuntimeTestBackend } from './testing/runtime-backend.js';
import { teardownOwnRuntime } from './testing/scoped-teardown.js';

const NS = 'default';
const POD = 'web';
const HTTP_SERVER = `require('http').createServer((q, s) => s.end('hello from ' + require('os').hostname() + ' ' + q.url)).listen(8080, '127.0.0.1')`;
const CONTAINERS = ['app', 'crash', 'counter', 'rotor', 'server', 'pending'];

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

describe('kubectl logs, exec, port-forward and top on running pods', { timeout: 150_000 }, () => {
  let rt: TestRuntime;
  let h: StreamingApiHarness;
  let backend: RuntimeTestBackend;
  let sandbox = '';
  let uid = '';

  const start = async (name: string, argv: string[], attempt = 0) => {
    const id = await rt.rt.createContainer(sandbox, {
      metadata: { name, attempt },
      image: 'node:20',
      argv,
      logPath: `${name}/${attempt}.log`,
    });
    await rt.rt.startContainer(id);
    backend.addAttempt(uid, name, id);
    return id;
  };
  const exited = (id: string) =>
    eventually(
      async () => ((await rt.rt.containerStatus(id)).state === 'CONTAINER_EXITED' ? true : undefined),
      10_000,
      `container ${id} exit`,
    );

  before(async () => {
    // Small log files, so a follow crosses several real shim rotations.
    rt = await createTestRuntime({ maxLogBytes: 4096, maxLogFiles: 5 });
    backend = new RuntimeTestBackend(rt.rt);
    h = await StreamingApiHarness.start({
      backend,
      metrics: { stats: rt.rt, containersOf: (p) => backend.containersOf(p) },
    });
    const nodeName = h.registry.list('nodes')[0]?.metadata?.name;
    assert.ok(nodeName, 'the bootstrap Node exists');
    const created = h.registry.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: POD, namespace: NS, labels: { app: 'web' } },
      spec: { nodeName, containers: CONTAINERS.map((name) => ({ name, image: 'node:20' })) },
    }) as unknown as Pod;
    uid = created.metadata!.uid!;
    h.registry.updateIn(
      'pods',
      NS,
      POD,
      {
        ...(created as object),
        status: {
          phase: 'Running',
          containerStatuses: CONTAINERS.map((name) => ({
            name,
            image: 'node:20',
            imageID: '',
            ready: name !== 'pending',
            restartCount: name === 'crash' ? 1 : 0,
            state: name === 'pending' ? { waiting: { reason: 'ContainerCreating' } } : { running: {} },
          })),
        },
      } as never,
      true,
    );
    sandbox = await rt.rt.runPodSandbox({
      metadata: { name: POD, namespace: NS, uid, attempt: 0 },
      dns: { servers: ['10.96.0.10'], searches: [], options: [] },
    });
    backend.addSandbox(uid, sandbox);
    await start('app', ['sh', '-c', 'echo one; echo two; echo three; echo to-stderr >&2; exec sleep 600']);
    await exited(await start('crash', ['sh', '-c', 'echo attempt zero; exit 1']));
    await start('crash', ['sh', '-c', 'echo attempt one; exec sleep 600'], 1);
    await start('server', ['node', '-e', HTTP_SERVER]);
  });

  after(async () => {
    await h?.close();
    if (rt) await teardownOwnRuntime(rt);
  });

  test('logs: all lines, --tail, --timestamps, stderr included', async () => {
    const all = await h.kubectl(['logs', POD, '-c', 'app']);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(all.stdout, 'one\ntwo\nthree\nto-stderr\n');
    const tail = await h.kubectl(['logs', POD, '-c', 'app', '--tail=2']);
    assert.equal(tail.stdout, 'three\nto-stderr\n');
    const stamped = await h.kubectl(['logs', POD, '-c', 'app', '--timestamps', '--tail=1']);
    assert.match(stamped.stdout, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z to-stderr\n$/);
    const limited = await h.kubectl(['logs', POD, '-c', 'app', '--limit-bytes=6']);
    assert.equal(limited.stdout, 'one\ntw');
    const recent = await h.kubectl(['logs', POD, '-c', 'app', '--since=1h']);
    assert.equal(recent.stdout, all.stdout);
  });

  test('logs --previous shows the last terminated attempt; kubelet errors otherwise', async () => {
    assert.equal((await h.kubectl(['logs', POD, '-c', 'crash'])).stdout, 'attempt one\n');
    assert.equal((await h.kubectl(['logs', POD, '-c', 'crash', '--previous'])).stdout, 'attempt zero\n');
    const noPrevious = await h.kubectl(['logs', POD, '-c', 'app', '--previous']);
    assert.equal(noPrevious.code, 1);
    assert.match(
      noPrevious.stderr,
      /Error from server \(BadRequest\): previous terminated container "app" in pod "web" not found/,
    );
    const waiting = await h.kubectl(['logs', POD, '-c', 'pending']);
    assert.match(waiting.stderr, /container "pending" in pod "web" is waiting to start: ContainerCreating/);
    const bad = await h.kubectl(['logs', POD, '-c', 'nope']);
    assert.match(bad.stderr, /container nope is not valid for pod web/);
  });

  test('logs -f streams lines as they are written and exits when the container ends', async () => {
    const id = await start('counter', ['sh', '-c', 'for i in 1 2 3 4 5 6; do echo tick $i; sleep 0.3; done']);
    const began = Date.now();
    const followed = await h.kubectl(['logs', '-f', POD, '-c', 'counter'], { timeoutMs: 20_000 });
    assert.equal(followed.code, 0, followed.stderr);
    assert.equal(followed.stdout, 'tick 1\ntick 2\ntick 3\ntick 4\ntick 5\ntick 6\n');
    // It waited for the container rather than returning a snapshot.
    assert.ok(Date.now() - began >= 1000, `follow returned after ${Date.now() - began} ms`);
    await exited(id);
  });

  test('logs -f follows across the shim log rotation, every line exactly once, in order', async () => {
    // ~13 KB through 4 KB files: three rotations while kubectl follows.
    const script =
      'i=1; while [ $i -le 200 ]; do echo "line $i ................................................"; i=$((i+1)); [ $((i % 20)) -eq 0 ] && sleep 0.1; done';
    const id = await start('rotor', ['sh', '-c', script]);
    const followed = await h.kubectl(['logs', '-f', POD, '-c', 'rotor'], { timeoutMs: 20_000 });
    assert.equal(followed.code, 0, followed.stderr);
    const numbers = followed.stdout
      .trimEnd()
      .split('\n')
      .map((l) => Number(/^line (\d+) /.exec(l)?.[1]));
    assert.deepEqual(
      numbers,
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    await exited(id);
    const files = readdirSync(dirname((await rt.rt.containerStatus(id)).logPath));
    assert.ok(files.length >= 3, `rotated files exist: ${files.join(' ')}`);
    const tail = await h.kubectl(['logs', POD, '-c', 'rotor', '--tail=2']);
    assert.match(tail.stdout, /^line 199 \.+\nline 200 \.+\n$/);
  });

  test('exec: output, stderr, exit code; stdin; unknown container', async () => {
    const r = await h.kubectl([
      'exec',
      POD,
      '-c',
      'app',
      '--',
      'sh',
      '-c',
      'echo out; echo err >&2; hostname; exit 3',
    ]);
    assert.equal(r.code, 3);
    assert.equal(r.stdout, `out\n${POD}\n`);
    assert.match(r.stderr, /^err\n/);
    assert.match(r.stderr, /command terminated with exit code 3/);
    const ok = await h.kubectl(['exec', POD, '-c', 'app', '--', 'true']);
    assert.equal(ok.code, 0, ok.stderr);
    const cat = await h.kubectl(['exec', '-i', POD, '-c', 'app', '--', 'sh', '-c', 'cat; echo done'], {
      input: 'from stdin\n',
    });
    assert.equal(cat.code, 0, cat.stderr);
    assert.equal(cat.stdout, 'from stdin\ndone\n');
    const bad = await h.kubectl(['exec', POD, '-c', 'nope', '--', 'true']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Error from server \(BadRequest\): container nope is not valid for pod web/);
    // kubectl's SPDY path (POST + Upgrade: SPDY/3.1) gets the same Status before any upgrade.
    const spdy = await h.kubectl(['exec', POD, '-c', 'nope', '--', 'true'], {
      env: { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' },
    });
    assert.equal(spdy.code, 1);
    assert.match(spdy.stderr, /Error from server \(BadRequest\): container nope is not valid for pod web/);
    const plain = await h.kubectl([
      'get',
      '--raw',
      `/api/v1/namespaces/${NS}/pods/${POD}/exec?command=true&stdout=true&container=app`,
    ]);
    assert.match(plain.stderr, /Error from server \(BadRequest\): Upgrade request required/);
    const attach = await h.kubectl(['attach', POD, '-c', 'app']);
    assert.equal(attach.code, 1);
    assert.match(attach.stderr, /attach to container "app" is not supported by this node; use exec/);
    const waiting = await h.kubectl(['exec', POD, '-c', 'pending', '--', 'true']);
    assert.equal(waiting.code, 1);
    assert.match(waiting.stderr, /container not found \("pending"\)/);
  });

  test('kubectl cp: a file into the container and back (tar over exec stdin/stdout)', async () => {
    const local = join(h.dir, 'payload.txt');
    const back = join(h.dir, 'payload-back.txt');
    const content = `${'podbay cp payload\n'.repeat(2000)}end\n`;
    writeFileSync(local, content);
    const put = await h.kubectl(['cp', local, `${POD}:/tmp/payload.txt`, '-c', 'app']);
    assert.equal(put.code, 0, put.stderr);
    const inside = await h.kubectl(['exec', POD, '-c', 'app', '--', 'wc', '-c', '/tmp/payload.txt']);
    assert.equal(inside.stdout.trim(), `${Buffer.byteLength(content)} /tmp/payload.txt`);
    const get = await h.kubectl(['cp', `${POD}:/tmp/payload.txt`, back, '-c', 'app']);
    assert.equal(get.code, 0, get.stderr);
    assert.equal(readFileSync(back, 'utf8'), content);
  });

  test('exec -it: a terminal in the container, resized to the client terminal, exit code kept', async () => {
    const cmd = `stty cols 100 rows 30; ${KUBECTL} exec -it ${POD} -c app -- sh -c 'tty; sleep 0.5; stty size; exit 5'`;
    const r = await h.run(['-qec', cmd, '/dev/null'], { command: 'script', timeoutMs: 20_000 });
    assert.equal(r.code, 5, r.stdout + r.stderr);
    assert.match(r.stdout, /\/dev\/pts\/\d+/);
    assert.match(r.stdout, /30 100/);
  });

  /** Runs `kubectl port-forward` with `env`, hands `use` the local port, and stops it by PID. */
  async function withPortForward(
    env: NodeJS.ProcessEnv,
    podPort: number,
    use: (port: number, output: () => string) => Promise<void>,
  ) {
    const port = await freePort();
    const pf = h.spawnKubectl(['port-forward', `pod/${POD}`, `${port}:${podPort}`], KUBECTL, env);
    let out = '';
    pf.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    pf.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    try {
      await eventually(
        async () => (out.includes('Forwarding from') ? true : undefined),
        15_000,
        `port-forward ready: ${out}`,
      );
      await use(port, () => out);
    } finally {
      pf.kill('SIGTERM');
      await new Promise((r) => (pf.exitCode !== null ? r(null) : pf.once('exit', r)));
    }
  }

  const curl = (port: number, path: string) =>
    h.run(['-s', '--max-time', '5', `http://127.0.0.1:${port}${path}`], { command: 'curl' });

  for (const [transport, env] of [
    ['SPDY in WebSocket', {}],
    ['direct SPDY upgrade', { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }],
  ] as const) {
    test(`port-forward (${transport}): curl reaches the pod port, connection after connection`, async () => {
      await withPortForward(env, 8080, async (port) => {
        for (const path of ['/first', '/second', '/third']) {
          const r = await curl(port, path);
          assert.equal(r.code, 0, r.stderr);
          assert.equal(r.stdout, `hello from ${POD} ${path}`);
        }
      });
    });
  }

  test('port-forward to a closed pod port: kubectl prints the message sent on the error stream', async () => {
    await withPortForward({}, 9, async (port, output) => {
      const r = await curl(port, '/');
      assert.notEqual(r.code, 0);
      await eventually(
        async () => (/error forwarding port 9 to pod/.test(output()) ? true : undefined),
        10_000,
        `error on the error stream: ${output()}`,
      );
    });
  });

  test('top pods --containers and top node', async () => {
    const pods = await h.kubectl(['top', 'pods', '--containers']);
    assert.equal(pods.code, 0, pods.stderr);
    assert.match(pods.stdout, /^POD\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
    assert.match(pods.stdout, /^web\s+app\s+\d+m\s+\d+Mi\s*$/m);
    assert.match(pods.stdout, /^web\s+server\s+\d+m\s+\d+Mi\s*$/m);
    assert.doesNotMatch(pods.stdout, /pending/);
    const one = await h.kubectl(['top', 'pod', POD]);
    assert.match(one.stdout, /^web\s+\d+m\s+\d+Mi\s*$/m);
    const missing = await h.kubectl([
      'get',
      '--raw',
      '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope',
    ]);
    assert.match(missing.stderr, /pods "nope" not found/);
    const node = await h.kubectl(['top', 'node']);
    assert.equal(node.code, 0, node.stderr);
    assert.match(node.stdout, /^\S+\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%\s*$/m);
  });
});
