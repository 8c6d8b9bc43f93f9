/**
 * Root test: resources, logs, exec, and the engine dying under running containers.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CGROUP_ROOT } from './cgroups.js';
import { isSameProcessAlive, processStartTime } from './process.js';
import { PodbayRuntime } from './runtime-service.js';
import {
  assertMachineClean,
  createTestRuntime,
  eventually,
  REPO,
  SHIM,
  sandboxConfig,
  type TestRuntime,
} from './testing/harness.js';
import type { ContainerConfig } from './types.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const CRI_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (stdout|stderr) (P|F) (.*)$/;

describe('container lifecycle', { timeout: 90_000 }, () => {
  let t: TestRuntime;
  let sandbox = '';
  before(async () => {
    t = await createTestRuntime({ maxLogBytes: 64 * 1024, maxLogFiles: 3 });
    sandbox = await t.rt.runPodSandbox(sandboxConfig('life'));
  });
  after(async () => {
    const dataDir = t.dataDir;
    await t.close();
    assertMachineClean(dataDir);
  });

  const start = async (name: string, argv: string[], extra: Partial<ContainerConfig> = {}) => {
    const id = await t.rt.createContainer(sandbox, {
      metadata: { name, attempt: 0 },
      image: 'busybox',
      argv,
      logPath: `${name}/0.log`,
      ...extra,
    });
    await t.rt.startContainer(id);
    return id;
  };
  const exited = (id: string) =>
    eventually(
      async () => {
        const s = await t.rt.containerStatus(id);
        return s.state === 'CONTAINER_EXITED' ? s : undefined;
      },
      15_000,
      `container ${id} to exit`,
    );

  test('exceeding the memory limit is reported as OOMKilled with exit code 137', async () => {
    const id = await start('hog', ['tail', '/dev/zero'], {
      resources: { memoryLimitBytes: 24 * 1024 * 1024 },
    });
    const s = await exited(id);
    assert.equal(s.exitCode, 137);
    assert.equal(s.reason, 'OOMKilled');
    const ok = await start('fine', ['true']);
    const s2 = await exited(ok);
    assert.deepEqual([s2.exitCode, s2.reason], [0, 'Completed']);
  });

  test('CPU quota, shares and pids limit are written as kubelet computes them (cgroup v1 here)', async (ctx) => {
    if (t.rt.cgroupVersion !== 1)
      return ctx.skip('this machine uses cgroup v2; cgroup-math.test.ts covers the values');
    const id = await start('cpu', ['sleep', '60'], {
      resources: {
        cpuLimitMilli: 250,
        cpuRequestMilli: 250,
        pidsLimit: 64,
        memoryLimitBytes: 64 * 1024 * 1024,
      },
    });
    const dir = (c: string) => join(CGROUP_ROOT, c, 'podbay', sandbox, id);
    const read = (c: string, f: string) => readFileSync(join(dir(c), f), 'utf8').trim();
    assert.equal(read('cpu', 'cpu.cfs_quota_us'), '25000');
    assert.equal(read('cpu', 'cpu.cfs_period_us'), '100000');
    assert.equal(read('cpu', 'cpu.shares'), '256');
    assert.equal(read('pids', 'pids.max'), '64');
    assert.equal(read('memory', 'memory.limit_in_bytes'), String(64 * 1024 * 1024));
    const { pid } = await t.rt.containerStatus(id);
    assert.ok(read('cpu', 'cgroup.procs').split('\n').includes(String(pid)));
    const forks = await t.rt.execSync(id, [
      'sh',
      '-c',
      'for i in $(seq 100); do sleep 5 & done 2>&1 | head -1; wait',
    ]);
    assert.match(
      forks.stdout.toString() + forks.stderr.toString(),
      /Resource temporarily unavailable|[Cc]an(no|')t fork/,
    );
    const stats = await t.rt.containerStats(id);
    assert.ok(stats.memoryUsageBytes > 0 && stats.cpuUsageCoreNanoSeconds > 0);
    const podStats = await t.rt.podSandboxStats(sandbox);
    assert.ok(podStats.cpuUsageCoreNanoSeconds >= stats.cpuUsageCoreNanoSeconds);
  });

  test('a container whose shim dies is killed and reported exited 137 (as containerd after a lost shim)', async () => {
    const id = await start('orphan', ['sleep', '1000']);
    const running = await t.rt.containerStatus(id);
    assert.equal(running.state, 'CONTAINER_RUNNING');
    const pidStart = processStartTime(running.pid)!;
    process.kill(running.shimPid, 'SIGKILL');
    const s = await exited(id);
    assert.deepEqual([s.exitCode, s.reason], [137, 'Error']);
    assert.match(s.message ?? '', new RegExp(`shim \\(pid ${running.shimPid}\\) died`));
    assert.equal(isSameProcessAlive(running.pid, pidStart), false, 'the orphaned process was killed');
    // A stop or a second status read changes nothing: the exit is recorded once.
    await t.rt.stopContainer(id, 0);
    assert.deepEqual(await t.rt.containerStatus(id), s);
  });

  test('a process that cannot be started leaves an exited instance: 128, StartError', async () => {
    const id = await t.rt.createContainer(sandbox, {
      metadata: { name: 'nostart', attempt: 0 },
      image: 'busybox',
      argv: ['no-such-binary-here'],
      logPath: 'nostart/0.log',
    });
    await assert.rejects(t.rt.startContainer(id), /no-such-binary-here/);
    const s = await t.rt.containerStatus(id);
    assert.equal(s.state, 'CONTAINER_EXITED');
    assert.equal(s.exitCode, 128);
    assert.equal(s.reason, 'StartError');
    assert.match(s.message ?? '', /no-such-binary-here/);
    assert.ok(s.finishedAt && Date.parse(s.finishedAt) > Date.now() - 60_000, 'finishedAt set');
    // Restarted, it stays what it was (the record says so).
    const fresh = new PodbayRuntime({
      dataDir: t.dataDir,
      images: t.rt.containers.deps.images,
      shimPath: SHIM,
    });
    const again = await fresh.containerStatus(id);
    assert.equal(again.reason, 'StartError');
    await t.rt.removeContainer(id);
  });

  test('a host-network, host-PID sandbox shares those namespaces and UTS, keeps its own IPC; pids.max bounds the pod', async () => {
    const host = await t.rt.runPodSandbox(
      sandboxConfig('hostnet', { hostNetwork: true, hostPID: true, pidsLimit: 50 }),
    );
    try {
      const status = await t.rt.podSandboxStatus(host);
      assert.equal(status.ip, '');
      assert.equal(status.hostname, hostname());
      const id = await t.rt.createContainer(host, {
        metadata: { name: 'h', attempt: 0 },
        image: 'busybox',
        argv: ['sleep', '60'],
        logPath: 'h/0.log',
      });
      await t.rt.startContainer(id);
      const ns =
        // busybox readlink takes one file at a time
        (
          await t.rt.execSync(id, [
            'sh',
            '-c',
            'for n in net uts ipc pid; do readlink /proc/self/ns/$n; done',
          ])
        ).stdout
          .toString()
          .trim()
          .split('\n');
      assert.equal(ns[0], readlinkSync('/proc/self/ns/net'));
      assert.equal(ns[1], readlinkSync('/proc/self/ns/uts'));
      assert.notEqual(ns[2], readlinkSync('/proc/self/ns/ipc'));
      assert.equal(ns[3], readlinkSync('/proc/self/ns/pid'));
      // In the host's PID namespace the container sees the engine's (this test's) process.
      const seen = await t.rt.execSync(id, ['sh', '-c', `test -d /proc/${process.pid} && echo seen`]);
      assert.equal(seen.stdout.toString().trim(), 'seen');
      const hosts = (await t.rt.execSync(id, ['cat', '/etc/hosts'])).stdout.toString();
      assert.ok(hosts.startsWith('# Kubernetes-managed hosts file (host network).\n'), hosts);
      const pidsDir =
        t.rt.cgroupVersion === 1
          ? join(CGROUP_ROOT, 'pids', 'podbay', host)
          : join(CGROUP_ROOT, 'podbay', host);
      assert.equal(readFileSync(join(pidsDir, 'pids.max'), 'utf8').trim(), '50');
      const forks = await t.rt.execSync(id, [
        'sh',
        '-c',
        'for i in $(seq 80); do sleep 5 & done 2>&1 | head -1',
      ]);
      assert.match(
        forks.stdout.toString() + forks.stderr.toString(),
        /Resource temporarily unavailable|[Cc]an(no|')t fork/,
      );
    } finally {
      for (const c of await t.rt.listContainers({ sandboxId: host })) await t.rt.removeContainer(c.id);
      await t.rt.removePodSandbox(host);
    }
  });

  test('logs are CRI lines, long lines split P..F, rotated at the size limit keeping N files', async () => {
    const id = await start('logger', [
      'sh',
      '-c',
      `echo out; echo err >&2; printf 'no newline'; echo; head -c 40000 /dev/zero | tr '\\0' a; echo; i=0; while [ $i -lt 3000 ]; do echo "line $i padding padding padding padding padding"; i=$((i+1)); done`,
    ]);
    const s = await exited(id);
    assert.equal(s.exitCode, 0);
    const dir = dirname(s.logPath);
    const files = readdirSync(dir).sort();
    assert.equal(files.length, 3, `files: ${files}`);
    assert.ok(files.includes('0.log'));
    for (const f of files) {
      assert.match(f, /^0\.log(\.\d{8}-\d{6}(-\d{3})?)?$/);
      assert.ok(statSync(join(dir, f)).size <= 64 * 1024);
    }
    const rotated = files.filter((f) => f !== '0.log');
    const all = [...rotated, '0.log'].flatMap((f) =>
      readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean),
    );
    for (const l of all) assert.match(l, CRI_LINE);
    const last = all.at(-1)!.match(CRI_LINE)!;
    assert.deepEqual(
      [last[1], last[2], last[3]],
      ['stdout', 'F', 'line 2999 padding padding padding padding padding'],
    );
    // 3000 lines of ~100 bytes = ~300 KB, so the oldest files were pruned: the first lines are gone.
    assert.ok(!all.some((l) => l.endsWith(' out')));
    const probe = await start('logger2', [
      'sh',
      '-c',
      `echo out; echo err >&2; head -c 40000 /dev/zero | tr '\\0' a; echo`,
    ]);
    const s2 = await exited(probe);
    const lines = readFileSync(s2.logPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.match(CRI_LINE)!);
    assert.deepEqual(
      lines.slice(0, 1).map((m) => [m[1], m[2], m[3]]),
      [['stdout', 'F', 'out']],
    );
    assert.ok(lines.some((m) => m[1] === 'stderr' && m[3] === 'err'));
    const long = lines.filter((m) => m[3]!.startsWith('aaa'));
    assert.deepEqual(
      long.map((m) => [m[2], m[3]!.length]),
      [
        ['P', 16384],
        ['P', 16384],
        ['F', 40000 - 32768],
      ],
    );
  });

  test('exec without a TTY returns output and the exit code; with a TTY it has a terminal that resizes', async () => {
    const id = await start('shell', ['sleep', '60']);
    const plain = await t.rt.execSync(id, ['sh', '-c', 'echo to-out; echo to-err >&2; exit 7']);
    assert.deepEqual(
      [plain.exitCode, plain.stdout.toString(), plain.stderr.toString()],
      [7, 'to-out\n', 'to-err\n'],
    );
    const missing = await t.rt.execSync(id, ['no-such-command']);
    assert.equal(missing.exitCode, 127);
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (d: Buffer) => chunks.push(d));
    const session = t.rt.exec(id, { cmd: ['sh'], tty: true, stdin, stdout });
    session.resize({ rows: 40, cols: 100 });
    stdin.write('tty; stty size; exit 5\n');
    assert.equal(await session.exitCode, 5);
    const text = Buffer.concat(chunks).toString();
    assert.match(text, /\/dev\/pts\/\d+/);
    assert.match(text, /40 100/);
  });

  test('an exec that times out or is killed takes its command with it (no process left in the container)', async () => {
    const id = await start('execs', ['sleep', '60']);
    const started = Date.now();
    // A probe's timeout: the command would run 30 s and hold the helper's pipes open all that time.
    await assert.rejects(t.rt.execSync(id, ['sh', '-c', 'sleep 31; echo late'], 1), /timed out after 1s/);
    assert.ok(Date.now() - started < 5000, `the timeout was reported after ${Date.now() - started} ms`);
    const session = t.rt.exec(id, { cmd: ['sleep', '32'] });
    await new Promise((r) => setTimeout(r, 300));
    session.kill();
    await session.exitCode;
    const left = await eventually(
      async () => {
        const ps = (await t.rt.execSync(id, ['ps', '-o', 'args'], 10)).stdout.toString();
        return /sleep 3[12]/.test(ps) ? undefined : ps;
      },
      3000,
      'exec commands gone',
    );
    assert.match(left, /sleep 60/);
  });

  test('containers survive SIGKILL of the engine; a fresh runtime re-adopts them from disk', async () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const script = `
      import { PodbayRuntime } from ${JSON.stringify(join(here, 'runtime-service.js'))};
      import { ImageCatalog } from ${JSON.stringify(join(here, 'catalog.js'))};
      import { CatalogImageService } from ${JSON.stringify(join(here, 'image-service.js'))};
      const dataDir = ${JSON.stringify(t.dataDir)};
      const rt = new PodbayRuntime({ dataDir, shimPath: ${JSON.stringify(SHIM)},
        images: new CatalogImageService(await ImageCatalog.load({ dataDir, repoRoot: ${JSON.stringify(REPO)} })) });
      const sb = await rt.runPodSandbox({ metadata: { name: 'survivor', namespace: 'test', uid: 'uid-survivor', attempt: 0 },
        dns: { servers: [], searches: [], options: [] } });
      const c = await rt.createContainer(sb, { metadata: { name: 'ticker', attempt: 2 }, image: 'busybox', specHash: 'abc123',
        argv: ['sh', '-c', 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.05; done'], logPath: 'ticker/2.log' });
      await rt.startContainer(c);
      console.log(JSON.stringify({ sb, c }));
      setInterval(() => {}, 1000);
    `;
    const engine = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const { sb, c } = await new Promise<{ sb: string; c: string }>((resolve, reject) => {
      let buf = '';
      engine.stdout.on('data', (d) => {
        buf += d;
        if (buf.includes('\n')) resolve(JSON.parse(buf));
      });
      engine.on('exit', (code) => reject(new Error(`engine exited ${code}`)));
    });
    const before = await t.rt.containerStatus(c);
    engine.kill('SIGKILL');
    await new Promise((r) => engine.once('close', r));
    const sizeAtKill = statSync(before.logPath).size;
    await new Promise((r) => setTimeout(r, 400));

    const fresh = new PodbayRuntime({
      dataDir: t.dataDir,
      images: t.rt.containers.deps.images,
      shimPath: SHIM,
    });
    const sandboxes = await fresh.listPodSandbox();
    const adopted = sandboxes.find((s) => s.id === sb)!;
    assert.equal(adopted.state, 'SANDBOX_READY');
    assert.equal(adopted.metadata.name, 'survivor');
    const [ticker] = await fresh.listContainers({ sandboxId: sb });
    assert.equal(ticker!.state, 'CONTAINER_RUNNING');
    assert.equal(ticker!.pid, before.pid, 'the same process, never restarted');
    assert.deepEqual([ticker!.metadata.attempt, ticker!.specHash], [2, 'abc123']);
    assert.ok(statSync(before.logPath).size > sizeAtKill, 'the shim keeps logging without the engine');
    const r = await fresh.execSync(c, ['echo', 'still here']);
    assert.equal(r.stdout.toString(), 'still here\n');
    await fresh.stopContainer(c, 0);
    assert.equal((await fresh.containerStatus(c)).state, 'CONTAINER_EXITED');
    await fresh.removePodSandbox(sb);
    assert.equal(
      (await fresh.listPodSandbox()).some((s) => s.id === sb),
      false,
    );
  });

  test('a container whose shim was launched but never recorded (engine died mid-start) is adopted', async () => {
    const id = await t.rt.createContainer(sandbox, {
      metadata: { name: 'orphan', attempt: 0 },
      image: 'busybox',
      argv: ['sleep', '60'],
      logPath: 'orphan/0.log',
    });
    // What startContainer does before it records anything: launch the shim.
    const out = execFileSync(SHIM, ['run', join(t.rt.paths.containerDir(id), 'shim.config')], {
      encoding: 'utf8',
    });
    const [pid] = out.trim().split(' ').map(Number);
    const fresh = new PodbayRuntime({
      dataDir: t.dataDir,
      images: t.rt.containers.deps.images,
      shimPath: SHIM,
    });
    const s = await fresh.containerStatus(id);
    assert.deepEqual([s.state, s.pid], ['CONTAINER_RUNNING', pid]);
    await fresh.removeContainer(id);
    assert.equal(isAlive(pid!), false);
  });

  test('cleanupAll removes running pods and leaves nothing behind; the runtime stays usable', async () => {
    const busy = await start('busy', ['sleep', '60']);
    const { pid } = await t.rt.containerStatus(busy);
    await t.rt.cleanupAll();
    assertMachineClean(t.dataDir);
    assert.equal(isAlive(pid), false);
    assert.deepEqual([await t.rt.listPodSandbox(), await t.rt.listContainers()], [[], []]);
    const again = await t.rt.runPodSandbox(sandboxConfig('again'));
    assert.equal((await t.rt.podSandboxStatus(again)).state, 'SANDBOX_READY');
  });
});
