/**
 * Attach end to end (root): a real `podbay server --run-pods` and the stock kubectl running the
 * CKAD workflows: `kubectl run -i --rm` with piped stdin (stdinOnce gives `cat` its EOF),
 * `kubectl run -it --rm` and `kubectl attach -it` to a tty busybox sh (kubectl gets a terminal
 * from util-linux `script`), and attach -i refused for a container without stdin.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../../test/e2e/harness.js';
import { PodServer } from './testing/pod-server.js';
import { TerminalKubectl } from './testing/terminal-kubectl.js';

const ps = new PodServer();
const server = ps.server;

const goneFromApi = (name: string) =>
  waitFor(
    async () => (await server.kubectl(['get', 'pod', name])).stderr.includes('NotFound'),
    `pod ${name} deleted`,
    60_000,
  );

describe('kubectl run -i / attach (root)', { timeout: 170_000 }, () => {
  const terminals: TerminalKubectl[] = [];
  before(async () => {
    await ps.start();
  });
  after(async () => {
    for (const t of terminals) t.stop();
    await ps.close();
  });

  test('kubectl run -i --rm --restart=Never with piped stdin: cat gets EOF, the pod completes and is deleted', async () => {
    const r = await server.kubectl(
      ['run', '-i', '--rm', '--restart=Never', 'piped', '--image=busybox', '--', 'sh', '-c', 'cat'],
      'line one\nline two\n',
      90_000,
    );
    assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
    assert.match(r.stdout, /line one\nline two\n/);
    assert.match(r.stdout, /pod "piped" deleted/);
    await goneFromApi('piped');
    // kubectl waits for the pod to complete and exits with the container's code.
    const failed = await server.kubectl(
      [
        'run',
        '-i',
        '--rm',
        '--restart=Never',
        'failing',
        '--image=busybox',
        '--',
        'sh',
        '-c',
        'wc -l; exit 3',
      ],
      'a\nb\nc\n',
      90_000,
    );
    assert.equal(failed.code, 3, `${failed.stderr}\n${failed.stdout}`);
    assert.match(failed.stdout, /^3$/m);
    assert.match(failed.stderr, /pod default\/failing terminated \(Error\)/);
    await goneFromApi('failing');
  });

  test('kubectl run -it --rm: an interactive busybox sh on a terminal, deleted after exit', async () => {
    const k = new TerminalKubectl(
      server,
      ['run', '-it', '--rm', '--restart=Never', 'shell', '--image=busybox', '--', 'sh'],
      30,
      90,
    );
    terminals.push(k);
    await k.waitFor(/If you don't see a command prompt/, 'the attach banner');
    k.type('echo "sum-$((40+2))"; stty size\r');
    await k.waitFor(/sum-42/, 'the command output');
    await k.waitFor(/30 90/, 'the terminal size');
    k.type('exit\r');
    assert.equal(await k.exited, 0, k.output);
    assert.match(k.output, /pod "shell" deleted/);
    await goneFromApi('shell');
  });

  test("kubectl attach -it to a running tty busybox sh; resize; its exit code is the container's", async () => {
    await ps.apply(`apiVersion: v1
kind: Pod
metadata: {name: term}
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 1
  containers:
  - {name: sh, image: busybox, command: [sh], stdin: true, tty: true}
`);
    await waitFor(async () => (await ps.statusColumn('term')) === 'Running', 'term Running', 60_000);
    const k = new TerminalKubectl(server, ['attach', '-it', 'term', '-c', 'sh'], 41, 123);
    terminals.push(k);
    await k.waitFor(/If you don't see a command prompt/, 'the attach banner');
    k.type('[ -t 0 ] && echo "is-a-tty"; stty size\r');
    await k.waitFor(/is-a-tty/, 'a terminal in the container');
    await k.waitFor(/41 123/, 'the terminal size');
    k.type('exit 5\r');
    await k.exited;
    await waitFor(
      async () => (await ps.getPod('term')).status?.containerStatuses?.[0]?.state?.terminated?.exitCode === 5,
      'term terminated with exit code 5',
      30_000,
    );
    const logs = await server.k(['logs', 'term']);
    assert.match(logs, /is-a-tty/);
    await ps.deleteAndVerifyGone('term');
  });

  test('kubectl attach -i to a container without stdin: true is refused', async () => {
    await ps.apply(`apiVersion: v1
kind: Pod
metadata: {name: quiet}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: main, image: busybox, command: [sleep, '3600']}
`);
    await waitFor(async () => (await ps.statusColumn('quiet')) === 'Running', 'quiet Running', 60_000);
    const r = await server.kubectl(['attach', '-i', 'quiet'], 'x\n', 30_000);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /Error from server \(BadRequest\): cannot attach stdin to container main in pod quiet: the container was created without stdin/,
    );
    await ps.deleteAndVerifyGone('quiet');
  });
});
