/**
 * `kubectl debug` end to end (root): a real `podbay server --run-pods` and the stock kubectl.
 *  - `kubectl debug -it POD --image=busybox --target=app -- sh` on a terminal (util-linux
 *    `script`): the ephemeral container shares app's PID namespace, so `ps` shows app's process;
 *    after `exit` it stays terminated (never restarted), with its status, logs, describe
 *    section and events;
 *  - `kubectl attach` to an ephemeral container started without attaching;
 *  - what the API refuses: removing one (through pods and through the subresource), a name clash;
 *    a GET and PUT of the Pod through the subresource (client-go's UpdateEphemeralContainers);
 *  - `kubectl debug --copy-to --share-processes`: a copy pod whose containers share one PID
 *    namespace.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import { waitFor } from '../../test/e2e/harness.js';
import { PodServer } from './testing/pod-server.js';
import { TerminalKubectl } from './testing/terminal-kubectl.js';

const ps = new PodServer();
const server = ps.server;

const WEB = `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: app, image: busybox, command: [sleep, '3601']}
`;

const ephemeralStatus = (pod: Pod, name: string) =>
  pod.status?.ephemeralContainerStatuses?.find((s) => s.name === name);

describe('kubectl debug (root)', { timeout: 170_000 }, () => {
  const terminals: TerminalKubectl[] = [];
  before(async () => {
    await ps.start();
    await ps.apply(WEB);
    await waitFor(async () => (await ps.statusColumn('web')) === 'Running', 'web Running', 60_000);
  });
  after(async () => {
    for (const t of terminals) t.stop();
    await ps.close();
  });

  test("kubectl debug -it --target=app: ps shows app's process; the container runs once", async () => {
    const k = new TerminalKubectl(
      server,
      ['debug', '-it', 'web', '--image=busybox', '--target=app', '-c', 'debugger', '--', 'sh'],
      30,
      100,
    );
    terminals.push(k);
    await k.waitFor(/If you don't see a command prompt/, 'the attach banner', 60_000);
    // busybox's ps (the catalog's busybox runs the host's procps `ps` first in PATH, which lists
    // only the processes of its own terminal).
    k.type('busybox ps -o pid,args\r');
    await k.waitFor(/^\s*1\s+sleep 3601\s*$/m, "app's sleep as PID 1 of the shared namespace");
    k.type('echo "sum-$((40+2))"\r');
    await k.waitFor(/sum-42/, 'the command output');
    k.type('exit\r');
    assert.equal(await k.exited, 0, k.output);

    await waitFor(
      async () => ephemeralStatus(await ps.getPod('web'), 'debugger')?.state?.terminated?.exitCode === 0,
      'debugger terminated with exit code 0',
      30_000,
    );
    const pod = await ps.getPod('web');
    const [ec] = pod.spec?.ephemeralContainers ?? [];
    assert.equal(ec?.name, 'debugger');
    assert.equal(ec?.targetContainerName, 'app');
    assert.equal(ec?.tty, true);
    const status = ephemeralStatus(pod, 'debugger');
    assert.equal(status?.restartCount, 0);
    assert.equal(status?.ready, false);
    assert.match(status?.containerID ?? '', /^podbay:\/\//);
    // The pod itself is untouched: still running, READY counts only app, QoS unchanged.
    assert.equal(pod.status?.phase, 'Running');
    assert.equal(pod.status?.qosClass, 'BestEffort');
    assert.equal(pod.status?.containerStatuses?.[0]?.restartCount, 0);

    // Never restarted, whatever the pod's restartPolicy (Always here): a few relists later it is
    // still the same terminated instance.
    await new Promise((r) => setTimeout(r, 3000));
    const later = ephemeralStatus(await ps.getPod('web'), 'debugger');
    assert.equal(later?.containerID, status?.containerID);
    assert.ok(later?.state?.terminated, JSON.stringify(later));

    const logs = await server.k(['logs', 'web', '-c', 'debugger']);
    assert.match(logs, /sleep 3601/);
    assert.match(logs, /sum-42/);
    const described = await server.k(['describe', 'pod', 'web']);
    assert.match(described, /^Ephemeral Containers:\n\s+debugger:\n/m);
    assert.match(described, /^ {2}debugger:\n\s+Container ID:\s+podbay:\/\/[0-9a-f]+\n/m);
    const events = await server.k([
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=web,reason=Started',
      '-o',
      'jsonpath={range .items[*]}{.involvedObject.fieldPath}{"\\n"}{end}',
    ]);
    assert.match(events, /^spec\.ephemeralContainers\{debugger\}$/m);
  });

  test('kubectl attach reaches an ephemeral container started with --attach=false', async () => {
    await server.k([
      'debug',
      'web',
      '-i',
      '--attach=false',
      '--image=busybox',
      '--target=app',
      '-c',
      'later',
      '--',
      'sh',
    ]);
    await waitFor(
      async () => ephemeralStatus(await ps.getPod('web'), 'later')?.state?.running !== undefined,
      'later running',
      30_000,
    );
    // On a terminal, so stdin stays open until the shell exits (kubectl attach -i, no tty).
    const k = new TerminalKubectl(server, ['attach', '-i', 'web', '-c', 'later'], 30, 100);
    terminals.push(k);
    await k.waitFor(/If you don't see a command prompt/, 'the attach banner');
    k.type('busybox ps -o args\r');
    await k.waitFor(/^sleep 3601\r?$/m, "app's sleep");
    k.type('exit 4\r');
    await k.exited;
    await waitFor(
      async () => ephemeralStatus(await ps.getPod('web'), 'later')?.state?.terminated?.exitCode === 4,
      'later terminated with exit code 4',
      30_000,
    );
  });

  test('the API refuses to remove one or to reuse a name', async () => {
    const viaPods = await server.kubectl([
      'patch',
      'pod',
      'web',
      '--type=json',
      '-p',
      '[{"op":"remove","path":"/spec/ephemeralContainers"}]',
    ]);
    assert.notEqual(viaPods.code, 0);
    assert.match(viaPods.stderr, /spec: Forbidden: pod updates may not change fields other than/);

    const viaSubresource = await server.request(
      'PATCH',
      '/api/v1/namespaces/default/pods/web/ephemeralcontainers',
      JSON.stringify([{ op: 'remove', path: '/spec/ephemeralContainers/0' }]),
      { 'Content-Type': 'application/json-patch+json' },
    );
    assert.equal(viaSubresource.status, 422, viaSubresource.body);
    assert.match(viaSubresource.body, /existing ephemeral containers \\"debugger\\" may not be removed/);

    const clash = await server.kubectl(['debug', 'web', '--image=busybox', '-c', 'app', '--attach=false']);
    assert.notEqual(clash.code, 0);
    assert.match(clash.stderr, /spec\.ephemeralContainers\[2\]\.name: Duplicate value: "app"/);
  });

  test('client-go UpdateEphemeralContainers: GET and PUT the Pod through the subresource', async () => {
    const path = '/api/v1/namespaces/default/pods/web/ephemeralcontainers';
    const got = await server.request('GET', path);
    assert.equal(got.status, 200, got.body);
    const pod = JSON.parse(got.body) as Pod;
    assert.equal(pod.kind, 'Pod');
    pod.spec?.ephemeralContainers?.push({ name: 'put-added', image: 'busybox', command: ['true'] });
    const put = await server.request('PUT', path, JSON.stringify(pod));
    assert.equal(put.status, 200, put.body);
    await waitFor(
      async () => ephemeralStatus(await ps.getPod('web'), 'put-added')?.state?.terminated?.exitCode === 0,
      'put-added ran once and completed',
      30_000,
    );
    const deleted = await server.request('DELETE', path);
    assert.equal(deleted.status, 405, deleted.body);
  });

  test('kubectl debug --copy-to --share-processes: the copy shares one PID namespace', async () => {
    const k = new TerminalKubectl(
      server,
      [
        'debug',
        'web',
        '-it',
        '--image=busybox',
        '--copy-to=web-copy',
        '--share-processes',
        '-c',
        'dbg',
        '--',
        'sh',
      ],
      30,
      100,
    );
    terminals.push(k);
    await k.waitFor(/If you don't see a command prompt/, 'the attach banner', 60_000);
    k.type('busybox ps -o args\r');
    await k.waitFor(/^sleep 3601\s*$/m, "the copied app's sleep");
    k.type('exit\r');
    assert.equal(await k.exited, 0, k.output);
    const copy = await ps.getPod('web-copy');
    assert.equal(copy.spec?.shareProcessNamespace, true);
    assert.deepEqual(
      copy.spec?.containers.map((c) => c.name),
      ['app', 'dbg'],
    );
    assert.equal(copy.spec?.ephemeralContainers, undefined);
    await ps.deleteAndVerifyGone('web-copy');
  });

  test('deleting the pod stops and removes its ephemeral containers with it', async () => {
    await server.k([
      'debug',
      'web',
      '--attach=false',
      '--image=busybox',
      '--target=app',
      '-c',
      'idle',
      '--',
      'sleep',
      '3602',
    ]);
    await waitFor(
      async () => ephemeralStatus(await ps.getPod('web'), 'idle')?.state?.running !== undefined,
      'idle running',
      30_000,
    );
    await ps.deleteAndVerifyGone('web');
  });
});
