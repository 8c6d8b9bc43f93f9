import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ContainerAttempt } from './backend.js';
import type { LogLine } from './cri-log.js';
import { readContainerLog } from './log-reader.js';

const rec = (t: string, text: string, tag = 'F') => `2026-11-25T08:00:${t}Z stdout ${tag} ${text}\n`;

describe('reading a container log from its files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync('/tmp/podbay-log-reader-');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const attempt = (path: string, running: () => boolean): ContainerAttempt => ({
    logPath: path,
    running: async () => running(),
  });
  const collect = async (a: ContainerAttempt, o: Partial<Parameters<typeof readContainerLog>[1]> = {}) => {
    const lines: LogLine[] = [];
    await readContainerLog(
      a,
      { follow: false, signal: new AbortController().signal, pollMs: 20, ...o },
      (l) => {
        lines.push(l);
        return true;
      },
    );
    return lines.map((l) => l.content.toString()).join('');
  };

  test('rotated files come first, oldest first, then the live file; tail and since apply to the whole', async () => {
    const path = join(dir, 'a.log');
    writeFileSync(`${path}.20261125-080001`, rec('01.0', 'one') + rec('02.0', 'two'));
    writeFileSync(`${path}.20261125-080003`, rec('03.0', 'three'));
    writeFileSync(path, rec('04.0', 'four') + rec('05.0', 'five'));
    const done = attempt(path, () => false);
    assert.equal(await collect(done), 'one\ntwo\nthree\nfour\nfive\n');
    assert.equal(await collect(done, { tailLines: 3 }), 'three\nfour\nfive\n');
    assert.equal(await collect(done, { tailLines: 0 }), '');
    assert.equal(await collect(done, { sinceMs: Date.parse('2026-11-25T08:00:03Z') }), 'three\nfour\nfive\n');
  });

  test('a missing file is an empty log', async () => {
    assert.equal(await collect(attempt(join(dir, 'never.log'), () => false)), '');
  });

  test('follow reads what is appended, survives a rotation, and ends once the attempt ended', async () => {
    const path = join(dir, 'b.log');
    writeFileSync(path, rec('01.0', 'before'));
    let running = true;
    const seen: string[] = [];
    const following = readContainerLog(
      attempt(path, () => running),
      { follow: true, signal: new AbortController().signal, pollMs: 20 },
      (l) => {
        seen.push(l.content.toString());
        return true;
      },
    );
    const waitFor = async (n: number) => {
      for (let i = 0; i < 200 && seen.length < n; i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(seen.length >= n, `saw ${seen.length} lines, want ${n}`);
    };
    await waitFor(1);
    appendFileSync(path, rec('02.0', 'appended'));
    await waitFor(2);
    // Rotate as the shim does: the held file gets one more line, then is renamed and replaced.
    appendFileSync(path, rec('03.0', 'last-in-old-file'));
    renameSync(path, `${path}.20261125-080003`);
    writeFileSync(path, rec('04.0', 'first-in-new', 'P') + rec('04.1', '-file'));
    await waitFor(4);
    appendFileSync(path, rec('05.0', 'final'));
    running = false;
    await following;
    assert.deepEqual(seen, [
      'before\n',
      'appended\n',
      'last-in-old-file\n',
      'first-in-new-file\n',
      'final\n',
    ]);
  });

  test('follow stops when the client goes away (abort) even while the attempt runs', async () => {
    const path = join(dir, 'c.log');
    writeFileSync(path, rec('01.0', 'x'));
    const abort = new AbortController();
    const started = Date.now();
    const following = readContainerLog(
      attempt(path, () => true),
      { follow: true, signal: abort.signal, pollMs: 1000 },
      () => true,
    );
    setTimeout(() => abort.abort(), 50);
    await following;
    assert.ok(Date.now() - started < 900, 'the safety-net wait was cut short by the abort');
  });

  test('a sink that returns false stops the read', async () => {
    const path = join(dir, 'd.log');
    writeFileSync(path, rec('01.0', 'a') + rec('02.0', 'b') + rec('03.0', 'c'));
    const got: string[] = [];
    await readContainerLog(
      attempt(path, () => false),
      { follow: false, signal: new AbortController().signal },
      (l) => {
        got.push(l.content.toString());
        return got.length < 2;
      },
    );
    assert.deepEqual(got, ['a\n', 'b\n']);
  });
});
