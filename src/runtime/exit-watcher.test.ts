import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ContainerExitWatcher } from './exit-watcher.js';
import { assertMachineClean, createTestRuntime, sandboxConfig } from './testing/harness.js';

const root = mkdtempSync(join(tmpdir(), 'podbay-exits-'));
after(() => rmSync(root, { recursive: true, force: true }));

const exitOf = (w: ContainerExitWatcher, timeoutMs = 5000) =>
  new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no exit event')), timeoutMs);
    const off = w.subscribe((id) => {
      clearTimeout(t);
      off();
      resolve(id);
    });
  });

describe('ContainerExitWatcher', () => {
  test('reports the exit file appearing, once, and ignores other files', async () => {
    const w = new ContainerExitWatcher();
    const seen: string[] = [];
    const off = w.subscribe((id) => seen.push(id));
    const dir = join(root, 'a');
    mkdirSync(dir);
    w.watch('a', dir);
    writeFileSync(join(dir, 'pid'), '1 2');
    writeFileSync(join(dir, 'exit.json.tmp'), '{}');
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(seen, []);
    writeFileSync(join(dir, 'exit.json'), '{}');
    await new Promise((r) => setTimeout(r, 100));
    writeFileSync(join(dir, 'exit.json'), '{}');
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(seen, ['a']);
    assert.equal(w.size, 0);
    off();
  });

  test('an exit file already there is reported at once; a removed directory is not an exit', async () => {
    const w = new ContainerExitWatcher();
    const seen: string[] = [];
    const off = w.subscribe((id) => seen.push(id));
    const done = join(root, 'done');
    mkdirSync(done);
    writeFileSync(join(done, 'exit.json'), '{}');
    w.watch('done', done);
    const gone = join(root, 'gone');
    mkdirSync(gone);
    w.watch('gone', gone);
    rmSync(gone, { recursive: true });
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(seen, ['done']);
    w.watch('missing', join(root, 'missing'));
    assert.equal(w.size, 0);
    off();
  });

  test('without listeners nothing is watched', () => {
    const w = new ContainerExitWatcher();
    const dir = join(root, 'idle');
    mkdirSync(dir);
    w.watch('idle', dir);
    assert.equal(w.size, 0);
  });
});

describe('the runtime reports a container exit as it happens (root)', { timeout: 60_000 }, () => {
  test('watchContainerExits fires for a started container that exits', async () => {
    const t = await createTestRuntime();
    try {
      const sandbox = await t.rt.runPodSandbox(sandboxConfig('exits'));
      const next = exitOf(t.rt.containers.exits);
      const id = await t.rt.createContainer(sandbox, {
        metadata: { name: 'brief', attempt: 0 },
        image: 'busybox',
        argv: ['sh', '-c', 'sleep 0.3; exit 3'],
        logPath: 'brief/0.log',
      });
      await t.rt.startContainer(id);
      assert.equal(await next, id);
      const status = await t.rt.containerStatus(id);
      assert.equal(status.state, 'CONTAINER_EXITED');
      assert.equal(status.exitCode, 3);
    } finally {
      const dataDir = t.dataDir;
      await t.close();
      assertMachineClean(dataDir);
    }
  });
});
