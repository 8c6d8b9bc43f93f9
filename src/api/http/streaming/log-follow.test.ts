/**
 * The event-driven follow (log-reader.ts + log-watch.ts) on real files and real inotify: the
 * safety-net timer is set to 30 s here and every wait gives up after 10 s, so whatever these tests
 * see was woken by an inotify event, not by the timer.
 */
import assert from 'node:assert/strict';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, afterEach, before, describe, test } from 'node:test';
import type { ContainerAttempt } from './backend.js';
import { readContainerLog } from './log-reader.js';
import { LogFileWatch } from './log-watch.js';

const SAFETY_NET_MS = 30_000;
const rec = (text: string, tag = 'F') => `${new Date().toISOString()} stdout ${tag} ${text}\n`;

/** Watch descriptors held by this process's inotify instances (libuv shares one per loop). */
function inotifyWatches(): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // the fd of the readdir itself, closed meanwhile
    }
    if (target !== 'anon_inode:inotify') continue;
    n += readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('inotify wd:')).length;
  }
  return n;
}

/** Open descriptors of this process naming a file under `dir`. */
function openFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(dir)) out.push(target);
    } catch {
      /* closed meanwhile */
    }
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('following a container log, woken by inotify', { timeout: 90_000 }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync('/tmp/podbay-log-follow-');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  // A failed assertion must not leave a follow running (it would keep the process alive).
  const open: { abort: AbortController; done: Promise<void> }[] = [];
  afterEach(async () => {
    for (const f of open.splice(0)) {
      f.abort.abort();
      await f.done;
    }
  });

  /** Starts a follow of `path`; `seen` fills as lines arrive, with their arrival time. */
  function follow(path: string, running: () => boolean, abort = new AbortController()) {
    const seen: { text: string; at: number }[] = [];
    const attempt: ContainerAttempt = { logPath: path, running: async () => running() };
    const done = readContainerLog(
      attempt,
      { follow: true, signal: abort.signal, pollMs: SAFETY_NET_MS },
      (l) => {
        seen.push({ text: l.content.toString(), at: performance.now() });
        return true;
      },
    );
    return { seen, done, abort };
  }

  test('a written line reaches the follower in well under 50 ms (median of 20)', async () => {
    const path = join(dir, 'latency', '0.log');
    mkdirSync(join(dir, 'latency'));
    writeFileSync(path, '');
    let running = true;
    const f = follow(path, () => running);
    await new Promise((r) => setTimeout(r, 50)); // the follow is past its history and waiting
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const written = performance.now();
      appendFileSync(path, rec(`line ${i}`));
      await until(`line ${i}`, () => f.seen.length > i);
      latencies.push(f.seen[i]!.at - written);
      await new Promise((r) => setTimeout(r, 10));
    }
    running = false;
    appendFileSync(path, rec('bye')); // an event, so the ended attempt is noticed without the timer
    await f.done;
    assert.deepEqual(
      f.seen.map((s) => s.text),
      [...Array.from({ length: 20 }, (_, i) => `line ${i}\n`), 'bye\n'],
    );
    const fast = latencies.filter((ms) => ms < 50).length;
    assert.ok(median(latencies) < 50, `median latency ${median(latencies).toFixed(2)} ms`);
    assert.ok(
      fast >= 18,
      `only ${fast}/20 lines under 50 ms: ${latencies.map((l) => l.toFixed(1)).join(' ')}`,
    );
    console.log(
      `# write-to-follower latency ms: median ${median(latencies).toFixed(2)}, max ${Math.max(...latencies).toFixed(2)}`,
    );
  });

  test('rotation while following, then a file that appears later: every line once, in order, no polling', async () => {
    const sub = join(dir, 'rotate');
    mkdirSync(sub);
    const path = join(sub, '0.log');
    writeFileSync(path, rec('before'));
    let running = true;
    const f = follow(path, () => running);
    await until('before', () => f.seen.length === 1);
    appendFileSync(path, rec('appended'));
    await until('appended', () => f.seen.length === 2);
    // Rotate as the shim does: one more line into the held file, rename it, create a new one.
    appendFileSync(path, rec('last-in-old-file'));
    renameSync(path, `${path}.20261125-080003`);
    await new Promise((r) => setTimeout(r, 20)); // a moment with no live file at all
    writeFileSync(path, rec('first-in-new', 'P') + rec('-file'));
    await until('the new file', () => f.seen.length === 4);
    appendFileSync(path, rec('final'));
    await until('final', () => f.seen.length === 5);
    running = false;
    appendFileSync(path, rec('after-exit-flush'));
    await f.done;
    assert.deepEqual(
      f.seen.map((s) => s.text),
      [
        'before\n',
        'appended\n',
        'last-in-old-file\n',
        'first-in-new-file\n',
        'final\n',
        'after-exit-flush\n',
      ],
    );
  });

  test('a follow that starts before the log file exists picks it up when it is created', async () => {
    const sub = join(dir, 'late');
    mkdirSync(sub);
    const path = join(sub, '1.log');
    let running = true;
    const f = follow(path, () => running);
    await new Promise((r) => setTimeout(r, 30));
    writeFileSync(join(sub, '10.log'), rec('another attempt')); // same directory, not ours
    writeFileSync(path, rec('hello'));
    await until('hello', () => f.seen.length === 1);
    running = false;
    appendFileSync(path, rec('bye'));
    await f.done;
    assert.deepEqual(
      f.seen.map((s) => s.text),
      ['hello\n', 'bye\n'],
    );
  });

  test('an ended attempt that writes nothing more ends the follow on the safety-net timer', async () => {
    const sub = join(dir, 'quiet');
    mkdirSync(sub);
    const path = join(sub, '0.log');
    writeFileSync(path, rec('only'));
    let running = true;
    const attempt: ContainerAttempt = { logPath: path, running: async () => running };
    const started = performance.now();
    const done = readContainerLog(
      attempt,
      { follow: true, signal: new AbortController().signal, pollMs: 100 },
      () => true,
    );
    setTimeout(() => {
      running = false;
    }, 50);
    await done;
    const took = performance.now() - started;
    assert.ok(took >= 50 && took < 3000, `the follow ended after ${took.toFixed(0)} ms`);
  });

  test('no inotify watch and no file descriptor outlive a client that went away', async () => {
    const sub = join(dir, 'leak');
    mkdirSync(sub);
    const path = join(sub, '0.log');
    writeFileSync(`${path}.20261125-080001`, rec('rotated'));
    writeFileSync(path, rec('live'));
    const watchesBefore = inotifyWatches();
    const follows = Array.from({ length: 5 }, () => follow(path, () => true));
    await until('every follow read its history', () => follows.every((f) => f.seen.length === 2));
    // Lines of history go out before the follow phase sets up its watch: wait for the watch.
    await until('the follows watch the log directory', () => inotifyWatches() > watchesBefore);
    assert.ok(openFilesUnder(sub).length >= 5, 'each follow holds the live file open');
    for (const f of follows) f.abort.abort();
    await Promise.all(follows.map((f) => f.done));
    assert.equal(inotifyWatches(), watchesBefore);
    assert.deepEqual(openFilesUnder(sub), []);
  });

  test('an event that arrives while nobody waits is latched; close is safe twice', async () => {
    const sub = join(dir, 'latch');
    mkdirSync(sub);
    const path = join(sub, '0.log');
    const watch = new LogFileWatch(path);
    assert.equal(watch.watching, true);
    writeFileSync(path, rec('x'));
    await new Promise((r) => setTimeout(r, 50)); // the event is delivered before anyone waits
    const signal = new AbortController().signal;
    assert.equal(await watch.next(SAFETY_NET_MS, signal), 'event');
    assert.equal(await watch.next(20, signal), 'timeout');
    watch.close();
    watch.close();
    assert.equal(await new LogFileWatch(join(dir, 'no-such-dir', '0.log')).next(20, signal), 'timeout');
  });
});
