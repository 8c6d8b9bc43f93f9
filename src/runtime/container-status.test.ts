/**
 * ContainerManager.status when the process is gone: the answer depends on the shim and its exit file,
 * which the shim writes just before it exits. These cases are races on a live machine (an Indexed Job e2e
 * caught the first one in 1 of 3–8 runs); here the shim's moves are placed exactly between the manager's
 * reads. Processes are real (this one, and children that have already exited); nothing is started in a
 * container, so no root is needed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ImageCatalog } from './catalog.js';
import { detectCgroupVersion } from './cgroups.js';
import { ContainerManager } from './containers.js';
import { CatalogImageService } from './image-service.js';
import { processStartTime } from './process.js';
import { type ContainerRecord, type ExitRecord, RecordStore, RuntimePaths } from './records.js';

const dataDir = mkdtempSync(join(os.tmpdir(), 'podbay-container-status-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** A pid that was real a moment ago and has exited (and been reaped). */
function deadPid(): number {
  const r = spawnSync('true');
  assert.ok(r.pid && r.pid > 0);
  return r.pid;
}

const EXIT: ExitRecord = { exitCode: 0, signal: 0, finishedAt: '2026-11-25T12:00:00Z' };

/** The shim writes its exit file (and exits) right after the manager's first look finds none. */
class ShimFinishesDuringFirstRead extends RecordStore {
  reads = 0;
  override async loadExit(id: string): Promise<ExitRecord | undefined> {
    const found = await super.loadExit(id);
    if (++this.reads === 1 && found === undefined) {
      writeFileSync(join(this.paths.containerDir(id), 'exit.json'), JSON.stringify(EXIT));
    }
    return found;
  }
}

async function setup(records: RecordStore, shim: { pid: number; startTime: number }) {
  const manager = new ContainerManager({
    records,
    images: new CatalogImageService(await ImageCatalog.load({ dataDir })),
    shimPath: '/nonexistent/podbay-shim',
    cgroupVersion: detectCgroupVersion(),
    dataDir,
    extraHiddenPaths: [],
    repoRoot: dataDir,
    maxLogBytes: 1024,
    maxLogFiles: 1,
  });
  const id = `c${Math.random().toString(16).slice(2, 10)}`;
  const record: ContainerRecord = {
    id,
    sandboxId: 'sandbox-not-created',
    metadata: { name: 'app', attempt: 0 },
    image: 'busybox',
    createdAt: '2026-11-25T11:59:00Z',
    startedAt: '2026-11-25T11:59:01Z',
    pid: deadPid(),
    pidStartTime: 1,
    shimPid: shim.pid,
    shimStartTime: shim.startTime,
    logPath: 'app/0.log',
    stopSignal: 'SIGTERM',
    uid: 0,
    gid: 0,
    groups: [],
    capsMask: '0',
    noNewPrivs: false,
    privileged: false,
    env: [],
    workingDir: '/',
    labels: {},
    annotations: {},
  };
  await records.saveContainer(record);
  return { manager, record };
}

describe('ContainerManager.status after the process exited', () => {
  test('the shim wrote its exit file and left between two looks: exited with its code, not "monitor lost"', async () => {
    const records = new ShimFinishesDuringFirstRead(new RuntimePaths(dataDir));
    const { manager, record } = await setup(records, { pid: deadPid(), startTime: 1 });
    const s = await manager.status(record);
    assert.equal(records.reads, 2, 'looked again once the shim was found gone');
    assert.equal(s.state, 'CONTAINER_EXITED');
    assert.equal(s.exitCode, 0);
    assert.equal(s.reason, 'Completed');
    assert.equal(s.finishedAt, EXIT.finishedAt);
  });

  test('the shim is still draining output: running until its exit file appears', async () => {
    const records = new RecordStore(new RuntimePaths(dataDir));
    const self = { pid: process.pid, startTime: processStartTime(process.pid)! };
    const { manager, record } = await setup(records, self);
    assert.equal((await manager.status(record)).state, 'CONTAINER_RUNNING');
    writeFileSync(
      join(records.paths.containerDir(record.id), 'exit.json'),
      JSON.stringify({ ...EXIT, exitCode: 3 }),
    );
    const s = await manager.status(record);
    assert.equal(s.state, 'CONTAINER_EXITED');
    assert.equal(s.exitCode, 3);
    assert.equal(s.reason, 'Error');
  });

  test('neither process nor shim nor exit file: exited 255, monitor lost (a rebooted machine)', async () => {
    const records = new RecordStore(new RuntimePaths(dataDir));
    const { manager, record } = await setup(records, { pid: deadPid(), startTime: 1 });
    const s = await manager.status(record);
    assert.equal(s.state, 'CONTAINER_EXITED');
    assert.equal(s.exitCode, 255);
    assert.equal(s.message, 'container monitor lost');
  });
});
