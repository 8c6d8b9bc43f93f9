/**
 * Root test: CRI NamespaceMode TARGET (what an ephemeral container's targetContainerName asks
 * for), against the real kernel. A container created with namespaceOptions { pid: TARGET,
 * targetId } shares the target's PID namespace, so each sees the other's processes, while the
 * pod's other containers keep their own; a bad or stopped target is refused at create.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RuntimeError } from './errors.js';
import {
  assertMachineClean,
  createTestRuntime,
  eventually,
  sandboxConfig,
  type TestRuntime,
} from './testing/harness.js';
import type { ContainerConfig } from './types.js';

describe('PID namespace of a target container', { timeout: 60_000 }, () => {
  let t: TestRuntime;
  let sandbox = '';
  before(async () => {
    t = await createTestRuntime();
    sandbox = await t.rt.runPodSandbox(sandboxConfig('pidns-1'));
  });
  after(async () => {
    const dataDir = t.dataDir;
    await t.close();
    assertMachineClean(dataDir);
  });

  const config = (name: string, argv: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig => ({
    metadata: { name, attempt: 0 },
    image: 'busybox',
    argv,
    logPath: `${name}/0.log`,
    ...extra,
  });
  const start = async (sb: string, c: ContainerConfig) => {
    const id = await t.rt.createContainer(sb, c);
    await t.rt.startContainer(id);
    return id;
  };
  const ps = async (id: string) => (await t.rt.execSync(id, ['ps', '-o', 'pid,args'], 10)).stdout.toString();
  const targeting = (targetId: string) => ({
    securityContext: { namespaceOptions: { pid: 'TARGET' as const, targetId } },
  });

  test("the debug container sees the target's processes, and the target sees it", async () => {
    const app = await start(sandbox, config('app', ['sleep', '301']));
    const other = await start(sandbox, config('other', ['sleep', '303']));
    const debug = await start(sandbox, config('debugger', ['sleep', '302'], targeting(app)));

    const fromDebug = await ps(debug);
    // The target's process is PID 1 of the namespace both now share.
    assert.match(fromDebug, /^\s*1\s+sleep 301$/m, fromDebug);
    assert.match(fromDebug, /sleep 302/);
    assert.doesNotMatch(fromDebug, /sleep 303/);
    const fromApp = await ps(app);
    assert.match(fromApp, /sleep 302/, fromApp);
    // A container without TARGET keeps a PID namespace of its own.
    const fromOther = await ps(other);
    assert.doesNotMatch(fromOther, /sleep 30[12]/, fromOther);
    assert.match(fromOther, /^\s*1\s+sleep 303$/m);

    // The namespace ends with its init: stopping the target ends the debug container too.
    await t.rt.stopContainer(app, 0);
    await eventually(
      async () => ((await t.rt.containerStatus(debug)).state === 'CONTAINER_EXITED' ? true : undefined),
      10_000,
      'debug container ended with its target',
    );
  });

  test('a missing, foreign or stopped target is refused at create', async () => {
    const refused = async (c: ContainerConfig, pattern: RegExp) => {
      await assert.rejects(t.rt.createContainer(sandbox, c), (e: unknown) => {
        assert.ok(e instanceof RuntimeError);
        assert.equal(e.code, 'InvalidArgument');
        assert.match(e.message, pattern);
        return true;
      });
    };
    await refused(
      config('d1', ['true'], { securityContext: { namespaceOptions: { pid: 'TARGET' } } }),
      /^securityContext\.namespaceOptions\.targetId: required when pid is TARGET$/,
    );
    await refused(config('d2', ['true'], targeting('0123456789abcdef')), /is not in sandbox/);

    const elsewhere = await t.rt.runPodSandbox(sandboxConfig('pidns-2'));
    const foreign = await start(elsewhere, config('app', ['sleep', '60']));
    await refused(config('d3', ['true'], targeting(foreign)), /is not in sandbox/);

    const done = await start(sandbox, config('done', ['true']));
    await eventually(
      async () => ((await t.rt.containerStatus(done)).state === 'CONTAINER_EXITED' ? true : undefined),
      10_000,
      'short container exited',
    );
    await refused(config('d4', ['true'], targeting(done)), /target container done is not running/);
    await t.rt.stopContainer(foreign, 0);
    await t.rt.stopPodSandbox(elsewhere);
  });
});
