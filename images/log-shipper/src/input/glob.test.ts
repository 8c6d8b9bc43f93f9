import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { expandGlob, globBase, globToRegExp } from './glob.js';

describe('glob', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ls-glob-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  for (const f of ['a.log', 'b.log', 'a.log.1', '.hidden.log', 'sub/c.log', 'sub/deep/d.log', 'x1.txt']) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), 'x');
  }

  test('base is the wildcard-free prefix', () => {
    assert.equal(globBase('/var/log/nginx/*.log'), '/var/log/nginx');
    assert.equal(globBase('/var/*/nginx/a.log'), '/var');
    assert.equal(globBase('/a.log'), '/');
  });

  test('expands *, ?, classes and **; skips dot files', async () => {
    const rel = async (p: string) =>
      (await expandGlob(join(dir, p))).map((x) => x.slice(dir.length + 1)).sort();
    assert.deepEqual(await rel('*.log'), ['a.log', 'b.log']);
    assert.deepEqual(await rel('?.log*'), ['a.log', 'a.log.1', 'b.log']);
    assert.deepEqual(await rel('[!b].log'), ['a.log']);
    assert.deepEqual(await rel('**/*.log'), ['a.log', 'b.log', 'sub/c.log', 'sub/deep/d.log']);
    assert.deepEqual(await rel('x[0-9].txt'), ['x1.txt']);
    assert.deepEqual(await rel('nothing/*.log'), []);
  });

  test('regexp form for excludes', () => {
    assert.ok(globToRegExp('/var/log/*.gz').test('/var/log/a.gz'));
    assert.ok(!globToRegExp('/var/log/*.gz').test('/var/log/sub/a.gz'));
    assert.ok(globToRegExp('/var/**/*.gz').test('/var/log/sub/a.gz'));
    assert.ok(globToRegExp('/var/log/a.(1)').test('/var/log/a.(1)'));
  });
});
