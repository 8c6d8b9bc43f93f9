/**
 * Root end-to-end test of `podbay up`, `podbay status` and `podbay down` as a user runs them: the
 * real CLI, its own data dir, HOME and KUBECONFIG in temp dirs (the user's kubeconfig already
 * holds another context), pods really running. Run under the root-tests lock:
 *   flock /tmp/podbay-root-tests.lock node scripts/test.mjs test/e2e/cli-up-down.test.ts
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import YAML from 'yaml';
import { machineLeftovers } from '../../src/cli/machine-check.js';
import { buildShim } from '../../src/runtime/testing/harness.js';
import { PODBAY_BIN } from './harness.js';

const READY_PODS = `apiVersion: v1
kind: Namespace
metadata: {name: cli-up}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: sleeper, namespace: cli-up}
spec:
  replicas: 2
  selector: {matchLabels: {app: sleeper}}
  template:
    metadata: {labels: {app: sleeper}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: busybox
        command: [sleep, '3600']
        readinessProbe: {exec: {command: ['true']}, periodSeconds: 1}
`;

const FAILING_POD = `apiVersion: v1
kind: Pod
metadata: {name: broken, namespace: cli-up}
spec:
  containers:
  - name: main
    image: busybox
    command: [sleep, '3600']
    readinessProbe: {exec: {command: ['false']}, periodSeconds: 1}
`;

const USER_KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: work
  cluster: {server: 'https://work.example:6443'}
contexts:
- name: work
  context: {cluster: work, user: me}
current-context: work
users:
- name: me
  user: {token: secret}
`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

describe('podbay up / status / down', () => {
  let dir = '';
  let dataDir = '';
  let kubeconfig = '';
  let manifest = '';

  function podbay(args: string[]): Promise<Run> {
    const t0 = Date.now();
    return new Promise((resolve) => {
      const p = spawn(process.execPath, [PODBAY_BIN, ...args], {
        env: { ...process.env, HOME: join(dir, 'home'), KUBECONFIG: kubeconfig },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d: Buffer) => {
        stdout += d;
      });
      p.stderr.on('data', (d: Buffer) => {
        stderr += d;
      });
      const timer = setTimeout(() => p.kill('SIGKILL'), 150_000);
      p.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? 128, stdout, stderr, ms: Date.now() - t0 });
      });
    });
  }

  const flags = () => ['--data-dir', dataDir];

  before(() => {
    buildShim();
    dir = mkdtempSync(join(tmpdir(), 'podbay-cli-e2e-'));
    dataDir = join(dir, 'data');
    kubeconfig = join(dir, 'user-kubeconfig');
    writeFileSync(kubeconfig, USER_KUBECONFIG, { mode: 0o600 });
    manifest = join(dir, 'sleeper.yaml');
    writeFileSync(manifest, READY_PODS);
  });

  after(async () => {
    // A failed test may leave the background server: stop it by its pid file, then the dirs.
    const pidFile = join(dataDir, 'server.pid');
    if (existsSync(pidFile)) await podbay(['down', ...flags()]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('up starts the server, applies, waits for Ready and links the kubeconfig', async () => {
    const r = await podbay(['up', '-f', manifest, ...flags(), '--listen', '127.0.0.1:0', '--timeout', '90s']);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /starting podbay server/);
    assert.match(r.stdout, /applied -f .*sleeper\.yaml: 2 objects/);
    assert.match(r.stdout, /cli-up 2\/2 ready/);
    assert.match(r.stdout, /podbay is up: 2 pods Ready/);
    assert.match(r.stdout, new RegExp(`export KUBECONFIG=${join(dataDir, 'kubeconfig')}`));
    const kc = YAML.parse(readFileSync(kubeconfig, 'utf8'));
    assert.equal(kc['current-context'], 'podbay');
    assert.deepEqual(
      kc.contexts.map((c: { name: string }) => c.name),
      ['work', 'podbay'],
    );
    assert.deepEqual(kc.users[0], { name: 'me', user: { token: 'secret' } }, 'other entries kept');
    assert.equal(statSync(kubeconfig).mode & 0o777, 0o600);
    assert.ok(existsSync(join(dataDir, 'server.pid')) && existsSync(join(dataDir, 'server.log')));
  });

  test('status names the server, the node and the Ready counts', async () => {
    const r = await podbay(['status', ...flags()]);
    assert.equal(r.code, 0, r.stderr);
    const pid = readFileSync(join(dataDir, 'server.pid'), 'utf8').trim();
    assert.match(
      r.stdout,
      new RegExp(`podbay server: running, pid ${pid}, https://127\\.0\\.0\\.1:\\d+, up \\d+s`),
    );
    assert.match(r.stdout, /node \S+: Ready/);
    assert.match(r.stdout, /cli-up +2\/2 pods ready/);
  });

  test('a second up reuses the server and re-applies in seconds', async () => {
    const pid = readFileSync(join(dataDir, 'server.pid'), 'utf8').trim();
    const r = await podbay(['up', '-f', manifest, ...flags(), '--timeout', '60s']);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, new RegExp(`podbay server running \\(pid ${pid},`));
    assert.ok(r.ms < 10_000, `second up took ${r.ms} ms`);
  });

  test('on the deadline up names the pod that is not Ready and why, and exits 1', async () => {
    const failing = join(dir, 'broken.yaml');
    writeFileSync(failing, FAILING_POD);
    const r = await podbay(['up', '-f', failing, ...flags(), '--timeout', '6s', '--no-kubeconfig']);
    assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /not Ready after \d+ s:/);
    assert.match(
      r.stdout,
      /cli-up\/broken +(Error|CrashLoopBackOff|Completed|Running) .*container main .*last event: /,
    );
    assert.doesNotMatch(r.stdout, /cli-up\/sleeper/, 'Ready pods are not named');
  });

  test('usage errors exit 2 naming the flag', async () => {
    const r = await podbay(['up', '-f', join(dir, 'nope.yaml'), ...flags()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /podbay up: -f .*nope\.yaml: no such file or directory/);
  });

  test('down stops everything, restores the kubeconfig and leaves nothing behind', async () => {
    const r = await podbay(['down', ...flags()]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /podbay server \(pid \d+\) stopped/);
    assert.match(r.stdout, /nothing left behind/);
    assert.deepEqual(machineLeftovers(dataDir), []);
    assert.deepEqual(YAML.parse(readFileSync(kubeconfig, 'utf8')), YAML.parse(USER_KUBECONFIG));
    assert.ok(existsSync(join(dataDir, 'kubeconfig')), 'data dir kept without --purge');
    const status = await podbay(['status', ...flags()]);
    assert.equal(status.code, 1);
    assert.match(status.stdout, /podbay server: not running/);
    const purge = await podbay(['down', ...flags(), '--purge']);
    assert.equal(purge.code, 0, purge.stdout);
    assert.ok(!existsSync(dataDir), 'data dir removed with --purge');
  });
});
