/**
 * Root test, end to end: the stock kubectl with WebSockets turned off
 * (KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false, so it speaks SPDY/3.1 as kubectl <= 1.29 and older
 * client-go tools do) against an in-process podbay API server over a real PodbayRuntime: exec
 * (output, stderr, exit code, stdin, a TTY with a live resize), attach -i, cp both ways; plus a
 * refused version negotiation and a malformed SPDY client on a raw socket, after which the
 * server still serves.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect, type TLSSocket } from 'node:tls';
import type { Pod } from 'kubernetes-types/core/v1';
import { createTestRuntime, eventually, type TestRuntime } from '../../../runtime/testing/harness.js';
import type { ContainerResolution, PodStreamingBackend } from './backend.js';
import { REMOTECOMMAND_PROTOCOLS } from './spdy-remotecommand-protocol.js';
import { recordServer, SpdyClientEncoder } from './spdy-remotecommand-test-client.js';
import { KUBECTL, StreamingApiHarness } from './testing/api-harness.js';
import { RuntimeTestBackend } from './testing/runtime-backend.js';
import { teardownOwnRuntime } from './testing/scoped-teardown.js';

const NS = 'default';
const POD = 'spdy';
const SPDY = { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' };
const READER = 'while read l; do echo "got $l"; done; echo bye';

/** RuntimeTestBackend plus attach for the containers registered here (the runtime's CRI Attach). */
class AttachingBackend implements PodStreamingBackend {
  readonly #attachable = new Map<string, string>();
  constructor(
    readonly inner: RuntimeTestBackend,
    private readonly rt: TestRuntime['rt'],
  ) {}
  allowAttach(container: string, id: string): void {
    this.#attachable.set(container, id);
  }
  async resolve(pod: Pod, container: string): Promise<ContainerResolution | undefined> {
    const r = await this.inner.resolve(pod, container);
    const id = this.#attachable.get(container);
    if (r?.kind !== 'container' || !id) return r;
    return { ...r, attach: (o) => this.rt.attach(id, o) };
  }
  portForward: PodStreamingBackend['portForward'] = (pod, port) => this.inner.portForward(pod, port);
}

describe('kubectl exec, attach and cp over SPDY/3.1', { timeout: 150_000 }, () => {
  let rt: TestRuntime;
  let h: StreamingApiHarness;
  let backend: AttachingBackend;
  let sandbox = '';
  let uid = '';

  const start = async (
    name: string,
    argv: string[],
    extra: { stdin?: boolean; stdinOnce?: boolean } = {},
  ) => {
    const id = await rt.rt.createContainer(sandbox, {
      metadata: { name, attempt: 0 },
      image: 'node:20',
      argv,
      logPath: `${name}/0.log`,
      ...extra,
    });
    await rt.rt.startContainer(id);
    backend.inner.addAttempt(uid, name, id);
    return id;
  };

  before(async () => {
    rt = await createTestRuntime();
    backend = new AttachingBackend(new RuntimeTestBackend(rt.rt), rt.rt);
    h = await StreamingApiHarness.start({
      backend,
      metrics: { stats: rt.rt, containersOf: (p) => backend.inner.containersOf(p) },
    });
    const nodeName = h.registry.list('nodes')[0]?.metadata?.name;
    assert.ok(nodeName, 'the bootstrap Node exists');
    const containers = [
      { name: 'app', image: 'node:20' },
      { name: 'reader', image: 'node:20', stdin: true, stdinOnce: true },
    ];
    const created = h.registry.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: POD, namespace: NS },
      spec: { nodeName, containers },
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
          containerStatuses: containers.map(({ name }) => ({
            name,
            image: 'node:20',
            imageID: '',
            ready: true,
            restartCount: 0,
            state: { running: {} },
          })),
        },
      } as never,
      true,
    );
    sandbox = await rt.rt.runPodSandbox({
      metadata: { name: POD, namespace: NS, uid, attempt: 0 },
      dns: { servers: ['10.96.0.10'], searches: [], options: [] },
    });
    backend.inner.addSandbox(uid, sandbox);
    await start('app', ['sh', '-c', 'exec sleep 600']);
    backend.allowAttach(
      'reader',
      await start('reader', ['sh', '-c', READER], { stdin: true, stdinOnce: true }),
    );
  });

  after(async () => {
    await h?.close();
    if (rt) await teardownOwnRuntime(rt);
  });

  const spdy = (args: string[], o: { input?: string; timeoutMs?: number } = {}) =>
    h.kubectl(args, { ...o, env: SPDY });

  test('exec: stdout, stderr and exit code 3', async () => {
    const r = await spdy(['exec', POD, '-c', 'app', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, 'out\n');
    assert.match(r.stderr, /^err\n/);
    assert.match(r.stderr, /command terminated with exit code 3/);
    // kubectl's request log proves the transport: a POST upgraded to SPDY, not a WebSocket GET.
    const ok = await spdy(['-v=6', 'exec', POD, '-c', 'app', '--', 'true']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /POST https:\/\/\S+\/exec\?\S+ 101 Switching Protocols/);
  });

  test('exec -i: piped stdin reaches the command and its EOF ends it', async () => {
    const input = `${'line of stdin\n'.repeat(5000)}last\n`;
    const r = await spdy(['exec', '-i', POD, '-c', 'app', '--', 'sh', '-c', 'wc -c; echo done'], { input });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${Buffer.byteLength(input)}\ndone\n`);
  });

  test('exec -it under script: a terminal, its size from the resize stream, a live resize, exit code kept', async () => {
    // The background stty resizes script's terminal while kubectl runs; kubectl sees SIGWINCH and
    // sends the new size on the resize stream.
    const inner = 'tty; i=0; while [ $i -lt 50 ]; do stty size; sleep 0.2; i=$((i+1)); done; exit 5';
    const cmd =
      `stty cols 100 rows 30; (sleep 4; stty cols 120 rows 40) </dev/tty & ` +
      `${KUBECTL} exec -it ${POD} -c app -- sh -c '${inner}'`;
    const r = await h.run(['-qec', cmd, '/dev/null'], { command: 'script', timeoutMs: 30_000, env: SPDY });
    assert.equal(r.code, 5, r.stdout + r.stderr);
    assert.match(r.stdout, /\/dev\/pts\/\d+/);
    assert.match(r.stdout, /^30 100\r?$/m);
    assert.match(r.stdout, /^40 120\r?$/m);
  });

  test('attach -i: stdin reaches the main process of a stdin container, output comes back', async () => {
    const r = await spdy(['attach', '-i', POD, '-c', 'reader'], { input: 'one\ntwo\n', timeoutMs: 20_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'got one\ngot two\nbye\n');
  });

  test('cp: a file into the container and back (tar over exec stdin/stdout)', async () => {
    const local = join(h.dir, 'spdy-payload.txt');
    const back = join(h.dir, 'spdy-payload-back.txt');
    // 2.3 MB: more than the socket buffers, so both directions wait on backpressure.
    const content = `${'podbay spdy cp payload\n'.repeat(100_000)}end\n`;
    writeFileSync(local, content);
    const put = await spdy(['cp', local, `${POD}:/tmp/spdy-payload.txt`, '-c', 'app']);
    assert.equal(put.code, 0, put.stderr);
    const get = await spdy(['cp', `${POD}:/tmp/spdy-payload.txt`, back, '-c', 'app']);
    assert.equal(get.code, 0, get.stderr);
    assert.equal(readFileSync(back, 'utf8'), content);
  });

  /** A raw TLS connection to the API server sending an exec upgrade with these headers. */
  async function rawExec(command: string, versions: string) {
    const kubeconfig = readFileSync(h.kubeconfig, 'utf8');
    const port = Number(/server: https:\/\/127\.0\.0\.1:(\d+)/.exec(kubeconfig)?.[1]);
    const token = /token: (\S+)/.exec(kubeconfig)?.[1];
    const socket: TLSSocket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
    await new Promise<void>((r) => socket.once('secureConnect', r));
    const query = `${command
      .split(' ')
      .map((c) => `command=${encodeURIComponent(c)}`)
      .join('&')}&stdout=true&container=app`;
    socket.write(
      `POST /api/v1/namespaces/${NS}/pods/${POD}/exec?${query} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
        `Authorization: Bearer ${token}\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n` +
        `X-Stream-Protocol-Version: ${versions}\r\nContent-Length: 0\r\n\r\n`,
    );
    let head = Buffer.alloc(0);
    while (!head.includes('\r\n\r\n')) {
      const chunk = await new Promise<Buffer | null>((r) => {
        socket.once('data', r);
        socket.once('close', () => r(null));
      });
      if (!chunk) break;
      head = Buffer.concat([head, chunk]);
    }
    return { socket, response: head.toString('latin1') };
  }

  test('a version the server does not speak: 403 with upstream message and the accepted list', async () => {
    const { socket, response } = await rawExec('true', 'v5.channel.k8s.io');
    socket.destroy();
    assert.match(response, /^HTTP\/1\.1 403 /);
    // One header per version, as Go's Header().Add writes them.
    const accepted = [...response.matchAll(/^X-Accepted-Stream-Protocol-Versions: (\S+)\r$/gim)].map(
      (m) => m[1],
    );
    assert.deepEqual(accepted, [...REMOTECOMMAND_PROTOCOLS]);
    assert.match(
      response,
      /unable to upgrade: unable to negotiate protocol: client supports \[v5\.channel\.k8s\.io\], server accepts \[v4\.channel\.k8s\.io v3\.channel\.k8s\.io v2\.channel\.k8s\.io channel\.k8s\.io\]/,
    );
  });

  test('a malformed SPDY client mid-session gets GOAWAY and a closed socket; the server keeps serving', async () => {
    const { socket, response } = await rawExec('sleep 31', 'v4.channel.k8s.io');
    assert.match(response, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
    assert.match(response, /X-Stream-Protocol-Version: v4\.channel\.k8s\.io\r\n/);
    const { record, closed } = recordServer(socket);
    const enc = new SpdyClientEncoder();
    socket.write(
      Buffer.concat([
        await enc.synStream(1, { streamtype: 'error' }),
        await enc.synStream(3, { streamtype: 'stdout' }),
      ]),
    );
    const running = () =>
      spdy(['exec', POD, '-c', 'app', '--', 'sh', '-c', 'cat /proc/[0-9]*/cmdline | tr "\\0" " "']);
    await eventually(
      async () => ((await running()).stdout.includes('sleep 31') ? true : undefined),
      10_000,
      'sleep 31 runs',
    );
    socket.write(Buffer.from('this is not a SPDY frame at all'));
    await closed;
    enc.close();
    assert.equal(record.goAway, 1, 'GOAWAY PROTOCOL_ERROR');
    // The session killed its exec helper (see the unit test); like kubelet, that does not reach
    // into the container to end the command itself, so `sleep 31` may outlive the connection.
    const again = await spdy(['exec', POD, '-c', 'app', '--', 'echo', 'still serving']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, 'still serving\n');
  });
});
