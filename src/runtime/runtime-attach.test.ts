/**
 * Root test: CRI Attach through the container monitor's attach socket (shim/attach.c): stdin
 * kept open, stdinOnce's EOF, live output only, a tty with resize, and the container's stdin
 * outliving a SIGKILLed engine.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  assertMachineClean,
  createTestRuntime,
  eventually,
  REPO,
  SHIM,
  sandboxConfig,
  type TestRuntime,
} from './testing/harness.js';
import type { ContainerConfig, ExecSession } from './types.js';

/** A Writable that keeps everything written to it as text. */
class Collector extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const ECHO_LINES = ['sh', '-c', 'while read l; do echo "got:$l"; echo "err:$l" >&2; done; echo eof'];

describe('container attach', { timeout: 90_000 }, () => {
  let t: TestRuntime;
  let sandbox = '';
  before(async () => {
    t = await createTestRuntime();
    sandbox = await t.rt.runPodSandbox(sandboxConfig('attach'));
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
  const stateOf = async (id: string) => (await t.rt.containerStatus(id)).state;
  const until = (what: string, cond: () => boolean) =>
    eventually(async () => (cond() ? true : undefined), 10_000, what);

  function attach(id: string, o: { tty?: boolean; stdin?: boolean } = {}) {
    const stdin = o.stdin === false ? undefined : new PassThrough();
    const stdout = new Collector();
    const stderr = new Collector();
    const session: ExecSession = t.rt.attach(id, {
      ...(stdin && { stdin }),
      stdout,
      stderr,
      ...(o.tty && { tty: true }),
    });
    return { stdin, stdout, stderr, session };
  }

  test('stdinOnce: bytes reach the process, stdout and stderr come back apart, stdin EOF ends it', async () => {
    const id = await start('once', ECHO_LINES, { stdin: true, stdinOnce: true });
    const a = attach(id);
    a.stdin!.write('alpha\n');
    await until('got:alpha', () => a.stdout.text.includes('got:alpha\n'));
    await until('err:alpha', () => a.stderr.text.includes('err:alpha\n'));
    assert.doesNotMatch(a.stdout.text, /err:/);
    a.stdin!.end('beta\n');
    // The session's stdin ended on a stdinOnce container: the process reads EOF, prints, exits.
    assert.equal(await a.session.exitCode, 0);
    assert.match(a.stdout.text, /got:beta\neof\n$/);
    const s = await eventually(async () => {
      const st = await t.rt.containerStatus(id);
      return st.state === 'CONTAINER_EXITED' ? st : undefined;
    });
    assert.equal(s.exitCode, 0);
    const log = readFileSync(s.logPath, 'utf8');
    assert.match(log, / stdout F got:alpha\n/);
    assert.match(log, / stderr F err:beta\n/);
    await t.rt.removeContainer(id);
  });

  test('8 MiB into a process that reads late arrive whole, then EOF (back-pressure, no loss)', async () => {
    const id = await start('bulk', ['sh', '-c', 'sleep 1; wc -c'], { stdin: true, stdinOnce: true });
    const a = attach(id);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    for (let i = 0; i < 128; i++) a.stdin!.write(chunk);
    a.stdin!.end();
    assert.equal(await a.session.exitCode, 0);
    assert.equal(a.stdout.text.trim(), String(128 * chunk.length));
    await t.rt.removeContainer(id);
  });

  test('without stdinOnce a session ending keeps stdin open for the next; output is live only', async () => {
    const id = await start('keep', ['sh', '-c', `echo early; ${ECHO_LINES[2]}`], { stdin: true });
    const { logPath } = await t.rt.containerStatus(id);
    const logText = () => {
      try {
        return readFileSync(logPath, 'utf8');
      } catch {
        return '';
      }
    };
    await until('early in the log', () => logText().includes('early'));
    const first = attach(id);
    first.stdin!.write('one\n');
    await until('got:one', () => first.stdout.text.includes('got:one\n'));
    assert.doesNotMatch(first.stdout.text, /early/, 'attach streams from now on, not the log history');
    // Ending this session's stdin ends the session (containerd's rule), not the container's stdin.
    first.stdin!.end();
    assert.equal(await first.session.exitCode, 0);
    assert.equal(await stateOf(id), 'CONTAINER_RUNNING');
    const second = attach(id);
    second.stdin!.write('two\n');
    await until('got:two', () => second.stdout.text.includes('got:two\n'));
    second.session.kill(); // detach: the container keeps running
    assert.equal(await second.session.exitCode, 0);
    assert.equal(await stateOf(id), 'CONTAINER_RUNNING');
    await t.rt.removeContainer(id);
  });

  test('a tty container: one terminal for stdout and stderr, resize reaches it, exit ends the session', async () => {
    const id = await start('term', ['sh'], { stdin: true, tty: true });
    const a = attach(id, { tty: true });
    a.session.resize({ rows: 33, cols: 101 });
    a.stdin!.write('[ -t 0 ] && echo "is-tty"; tty; stty size; echo "sum-$((40+2))" >&2\n');
    await until('stty size', () => /33 101/.test(a.stdout.text) && /sum-42/.test(a.stdout.text));
    assert.match(a.stdout.text, /is-tty/);
    // The terminal is the container's own devpts's, so its name resolves inside the container.
    assert.match(a.stdout.text, /^\/dev\/pts\/\d+\r?$/m);
    assert.equal(a.stderr.text, '', 'a terminal has no separate stderr');
    a.stdin!.write('exit 3\n');
    assert.equal(await a.session.exitCode, 0);
    const s = await eventually(async () => {
      const st = await t.rt.containerStatus(id);
      return st.state === 'CONTAINER_EXITED' ? st : undefined;
    });
    assert.equal(s.exitCode, 3);
    // containerd logs terminal output as stdout and drops the \r of each \r\n.
    const log = readFileSync(s.logPath, 'utf8');
    assert.match(log, / stdout F sum-42\n/);
    assert.doesNotMatch(log, /\r\n/);
    assert.doesNotMatch(log, / stderr /);
    await t.rt.removeContainer(id);
  });

  test('a non-root tty container owns its terminal, as runc makes it', async () => {
    const id = await start('user', ['sh'], {
      stdin: true,
      tty: true,
      securityContext: { runAsUser: 1000, runAsGroup: 1000 },
    });
    const a = attach(id, { tty: true });
    a.stdin!.write('echo "uid-$(id -u)"; stat -c "owner-%u" "$(tty)"; exit\n');
    assert.equal(await a.session.exitCode, 0);
    assert.match(a.stdout.text, /uid-1000/);
    assert.match(a.stdout.text, /owner-1000/);
    await t.rt.removeContainer(id);
  });

  test('stdin of a container without stdin: true is ignored; output still streams', async () => {
    const id = await start('nostdin', [
      'sh',
      '-c',
      'while true; do echo tick; read x && echo "read:$x"; sleep 0.1; done',
    ]);
    const a = attach(id);
    a.stdin!.write('hello\n');
    await until('tick', () => a.stdout.text.includes('tick\n'));
    await new Promise((r) => setTimeout(r, 300));
    assert.doesNotMatch(a.stdout.text, /read:hello/, 'its stdin is /dev/null');
    a.session.kill();
    await a.session.exitCode;
    await t.rt.removeContainer(id);
  });

  test('every session sees the output; past 16 at once the monitor refuses by name', async () => {
    const id = await start('many', ['sh', '-c', 'while true; do echo beat; sleep 0.1; done']);
    const sessions = Array.from({ length: 16 }, () => attach(id, { stdin: false }));
    await until('beat in every session', () => sessions.every((a) => a.stdout.text.includes('beat\n')));
    const extra = attach(id, { stdin: false });
    await assert.rejects(extra.session.exitCode, /attach refused: too many attach sessions \(16\)/);
    for (const a of sessions) a.session.kill();
    await Promise.all(sessions.map((a) => a.session.exitCode));
    await t.rt.removeContainer(id);
  });

  test('attach to a container that is not running is refused', async () => {
    const id = await start('done', ['true']);
    await eventually(async () => ((await stateOf(id)) === 'CONTAINER_EXITED' ? true : undefined));
    const a = attach(id);
    await assert.rejects(a.session.exitCode, /is not running/);
    await t.rt.removeContainer(id);
  });

  test("the container's stdin outlives a SIGKILLed engine that was attached to it", async () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const script = `
      import { PassThrough } from 'node:stream';
      import { PodbayRuntime } from ${JSON.stringify(join(here, 'runtime-service.js'))};
      import { ImageCatalog } from ${JSON.stringify(join(here, 'catalog.js'))};
      import { CatalogImageService } from ${JSON.stringify(join(here, 'image-service.js'))};
      const dataDir = ${JSON.stringify(t.dataDir)};
      const rt = new PodbayRuntime({ dataDir, shimPath: ${JSON.stringify(SHIM)},
        images: new CatalogImageService(await ImageCatalog.load({ dataDir, repoRoot: ${JSON.stringify(REPO)} })) });
      const c = await rt.createContainer(${JSON.stringify(sandbox)}, { metadata: { name: 'survivor', attempt: 0 },
        image: 'busybox', argv: ${JSON.stringify(ECHO_LINES)}, logPath: 'survivor/0.log', stdin: true });
      await rt.startContainer(c);
      const stdin = new PassThrough();
      let out = '';
      rt.attach(c, { stdin, stdout: new (await import('node:stream')).Writable({ write(b, _e, d) {
        out += b; if (out.includes('got:before')) console.log(JSON.stringify({ c })); d(); } }) });
      stdin.write('before\\n');
      setInterval(() => {}, 1000);
    `;
    const engine = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const { c } = await new Promise<{ c: string }>((resolve, reject) => {
      let buf = '';
      engine.stdout.on('data', (d) => {
        buf += d;
        if (buf.includes('\n')) resolve(JSON.parse(buf));
      });
      engine.on('exit', (code) => reject(new Error(`engine exited ${code}`)));
    });
    engine.kill('SIGKILL');
    await new Promise((r) => engine.once('close', r));
    const a = attach(c);
    a.stdin!.write('after\n');
    await until('got:after', () => a.stdout.text.includes('got:after\n'));
    assert.equal(await stateOf(c), 'CONTAINER_RUNNING');
    a.session.kill();
    await t.rt.removeContainer(c);
  });
});
