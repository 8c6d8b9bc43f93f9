/**
 * route_localnet is the one host setting the proxy changes: teardown must put back what the
 * first start found, even when a start after kill -9 finds the 1 its predecessor set. Runs in a
 * network namespace this test makes (root), so the host's own setting is never touched.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ObjectMirror, SERVICE_NETWORK_RESOURCES } from '../object-mirror.js';
import { startTestApi, type TestApi } from '../testing/api.js';
import { ServiceProxy } from './proxier.js';

const ns = `pbtest-${randomBytes(3).toString('hex')}-rl`;
const prefix = ['ip', 'netns', 'exec', ns];
const sysctl = () =>
  execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-n', 'net.ipv4.conf.all.route_localnet'], {
    encoding: 'utf8',
  }).trim();
let api: TestApi;
let dir: string;

before(() => {
  execFileSync('ip', ['netns', 'add', ns]);
  // A new namespace may copy the host's value: start from the kernel default, 0.
  execFileSync('ip', [...prefix.slice(1), 'sysctl', '-q', '-w', 'net.ipv4.conf.all.route_localnet=0']);
  api = startTestApi();
  dir = mkdtempSync('/tmp/podbay-rl-test-');
});
after(() => {
  api?.close();
  execFileSync('ip', ['netns', 'delete', ns]);
  rmSync(dir, { recursive: true, force: true });
});

test('teardown restores route_localnet as the first start found it, across a crash', async (t) => {
  const stateFile = join(dir, 'proxy', 'route_localnet.before');
  const mirror = new ObjectMirror(api.client, SERVICE_NETWORK_RESOURCES);
  mirror.start();
  t.after(() => mirror.stop());
  const make = () =>
    new ServiceProxy({ mirror }, { commands: { prefix }, resyncMs: 0, routeLocalnetStateFile: stateFile });
  assert.equal(sysctl(), '0');
  const first = make();
  await first.start();
  assert.equal(sysctl(), '1');
  await first.stop(); // as after kill -9: no teardown, the table and the setting stay
  const second = make();
  await second.start();
  await second.stop({ teardown: true });
  assert.equal(sysctl(), '0');
  assert.ok(!existsSync(stateFile), 'state file removed');
  assert.ok(!existsSync(join(dir, 'proxy')), 'its directory removed');
});
