/**
 * The "Must show", end to end: the seed's four patterns brought up by `podbay up` on
 * this machine, checked with the seed's own "Testing Multi-Container Patterns" commands through
 * the stock kubectl, each pattern's effect measured, then delete + re-apply, then `podbay down`
 * leaving nothing behind. Root; run under the lock:
 *   flock /tmp/podbay-root-tests.lock node scripts/test.mjs test/e2e/patterns-on-podbay.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import { machineLeftovers } from '../../src/cli/machine-check.js';
import { buildShim } from '../../src/runtime/testing/harness.js';
import { commandCalls, PATTERNS_DIR, PatternsCluster, REPO, until } from './patterns-cluster.js';

/** Every pod the patterns run, by namespace (the manifests' replica counts). */
const EXPECTED_PODS = { database: 4, development: 7 };

describe('the four patterns on podbay', { timeout: 420_000 }, () => {
  const c = new PatternsCluster();
  let sidecarPod = '';
  let initPod = '';
  const amb = 'app-with-redis-ambassador';

  before(() => buildShim());
  after(async () => {
    const down = await c.close();
    if (down) assert.equal(down.code, 0, `podbay down:\n${down.stdout}${down.stderr}`);
  });

  test('podbay up: every pod Ready, the podbay context current, the tour printed', async () => {
    const r = await c.up();
    assert.equal(r.code, 0, `podbay up:\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, new RegExp(`database ${EXPECTED_PODS.database}/${EXPECTED_PODS.database} ready`));
    assert.match(
      r.stdout,
      new RegExp(`development ${EXPECTED_PODS.development}/${EXPECTED_PODS.development} ready`),
    );
    sidecarPod = (await c.pods('pattern=sidecar'))[0] ?? '';
    initPod = (await c.pods('pattern=init-container'))[0] ?? '';
    assert.ok(sidecarPod && initPod);
    assert.match(
      r.stdout,
      new RegExp(`kubectl logs ${sidecarPod} -c log-shipper`),
      'the tour names real pods',
    );
    assert.equal((await c.k(['config', 'current-context'])).trim(), 'podbay');
    // As the README says: the seed's commands omit the namespace.
    await c.k(['config', 'set-context', '--current', '--namespace=development']);
  });

  test('seed: kubectl get pods -l pattern=sidecar -w (ending by itself)', async () => {
    const t0 = Date.now();
    const r = await c.kubectl(['get', 'pods', '-l', 'pattern=sidecar', '-w', '--request-timeout=3s']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Date.now() - t0 < 15_000, 'the watch ended by itself');
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('web-app-with-logging-'));
    assert.ok(rows.length >= 3, `${r.stdout}${r.stderr}`);
    for (const row of rows.slice(0, 3)) assert.match(row, /\s2\/2\s+Running\s/);
  });

  test('seed: kubectl logs … -c web-app and -c log-shipper; pattern 1: every request shipped, parsed', async () => {
    const agent = `podbay-e2e-${process.pid}`;
    const paths = Array.from({ length: 10 }, (_, i) => `/e2e-${i}`);
    const script = paths.map((p) => `curl -s -o /dev/null -A ${agent} http://localhost${p}`).join('; ');
    await c.k(['exec', sidecarPod, '-c', 'web-app', '--', 'sh', '-c', script]);
    const nginx = await c.k(['logs', sidecarPod, '-c', 'web-app']);
    for (const p of paths) assert.match(nginx, new RegExp(`"GET ${p} HTTP/1.1" 404 .*"${agent}"`));
    const shipped = await until('all 10 requests in the shipper output', async () => {
      const out = await c.k(['logs', sidecarPod, '-c', 'log-shipper']);
      const records = out
        .split('\n')
        .filter((l) => l.includes(agent))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      return records.length >= paths.length ? records : undefined;
    });
    assert.deepEqual(shipped.map((r) => r.path).sort(), [...paths].sort(), 'none missing, none twice');
    for (const r of shipped) assert.deepEqual([r.method, r.status, r.user_agent], ['GET', 404, agent]);
  });

  test('seed: kubectl exec -it … -c web-app -- /bin/sh (scripted)', async () => {
    const r = await c.kubectl(
      ['exec', '-it', amb, '-c', 'web-app', '--', '/bin/sh'],
      'echo "in $HOSTNAME"; ls /app; exit 7\n',
    );
    assert.match(r.stdout, new RegExp(`in ${amb}`), r.stderr);
    assert.match(r.stdout, /app\.js/);
    assert.equal(r.code, 7, 'the shell exit code comes back');
  });

  test("the ambassador's configuration check", async () => {
    await c.k([
      'exec',
      amb,
      '-c',
      'redis-ambassador',
      '--',
      'cat',
      '/etc/redis-ambassador/redis-ambassador.yaml',
    ]);
    const bin = join(REPO, 'images/redis-ambassador/bin/redis-ambassador.js');
    const r = await c.kubectl(['exec', amb, '-c', 'redis-ambassador', '--', 'node', bin, '--check']);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /master/);
  });

  test('pattern 2: writes through the app land on the master, reads on a replica', async () => {
    const stats = async (target: string[]) =>
      c.k(['exec', '-n', 'database', ...target, '--', 'redis-cli', 'info', 'commandstats']);
    const replicas = await c.pods('role=replica', 'database');
    const master = ['deploy/redis-master'];
    const setsBefore = commandCalls(await stats(master), 'set');
    const key = `e2e-${process.pid}`;
    const put = await c.k([
      'exec',
      amb,
      '-c',
      'web-app',
      '--',
      'curl',
      '-s',
      '-X',
      'POST',
      '--data',
      'hi',
      `localhost:3000/items/${key}`,
    ]);
    assert.match(put, new RegExp(`"id":"${key}"`));
    assert.equal(commandCalls(await stats(master), 'set'), setsBefore + 1, 'the write reached the master');
    const getsOnReplicas = async () => {
      let n = 0;
      for (const r of replicas) n += commandCalls(await stats([r]), 'get');
      return n;
    };
    const before = await getsOnReplicas();
    // Reads follow the client's own write until the replicas caught up, then go to a replica.
    await until('a read served by a replica', async () => {
      const got = await c.k([
        'exec',
        amb,
        '-c',
        'web-app',
        '--',
        'curl',
        '-s',
        `localhost:3000/items/${key}`,
      ]);
      assert.deepEqual(JSON.parse(got), { id: key, value: 'hi' });
      return (await getsOnReplicas()) > before ? true : undefined;
    });
    for (const r of replicas) assert.doesNotMatch(await stats([r]), /cmdstat_set:.*rejected_calls=[1-9]/);
  });

  test('pattern 3: /metrics on 9090 carries the real counts; promtool is clean', async () => {
    const [pod] = await c.pods('pattern=adapter');
    const metric = async (name: string) => {
      const body = await c.k([
        'exec',
        pod!,
        '-c',
        'legacy-app',
        '--',
        'curl',
        '-s',
        'localhost:9090/metrics',
      ]);
      return { body, value: Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(body)?.[1] ?? Number.NaN) };
    };
    const before = await metric('legacy_requests_total');
    const codes = await c.k([
      'exec',
      pod!,
      '-c',
      'legacy-app',
      '--',
      'sh',
      '-c',
      "for i in 1 2 3 4 5; do curl -s -o /dev/null -w '%{http_code} ' localhost:8080/; done",
    ]);
    assert.equal(codes.trim(), '200 200 200 200 200');
    // The app's own stats (the admin port is not traffic) and the adapter's view of them agree.
    const stats = await c.k([
      'exec',
      pod!,
      '-c',
      'legacy-app',
      '--',
      'curl',
      '-s',
      'localhost:8888/admin/stats',
    ]);
    assert.match(stats, new RegExp(`^requests_total ${before.value + 5}$`, 'm'));
    const after = await until('the adapter to serve the 5 new requests', async () => {
      const m = await metric('legacy_requests_total');
      return m.value === before.value + 5 ? m : undefined;
    });
    assert.match(after.body, /^legacy_up 1$/m);
    const promtool = spawnSync('promtool', ['check', 'metrics'], {
      input: after.body,
      encoding: 'utf8',
      timeout: 10_000,
    });
    assert.equal(promtool.status, 0, `${promtool.stdout}${promtool.stderr}`);
  });

  test('pattern 4: Ready only after migrations and cache warm-up (timestamps); serves migrated data', async () => {
    const pod = JSON.parse(await c.k(['get', 'pod', initPod, '-o', 'json'])) as Pod;
    const inits = pod.status?.initContainerStatuses ?? [];
    assert.deepEqual(
      inits.map((s) => [s.name, s.state?.terminated?.reason, s.state?.terminated?.exitCode]),
      [
        ['db-migration', 'Completed', 0],
        ['cache-warmer', 'Completed', 0],
      ],
    );
    const t = (s?: string) => Date.parse(s ?? '');
    const migrated = t(inits[0]!.state!.terminated!.finishedAt);
    const warmed = t(inits[1]!.state!.terminated!.finishedAt);
    const started = t(pod.status?.containerStatuses?.[0]?.state?.running?.startedAt);
    const ready = t(pod.status?.conditions?.find((x) => x.type === 'Ready')?.lastTransitionTime);
    assert.ok(
      migrated <= t(inits[1]!.state!.terminated!.startedAt),
      'cache-warmer started after the migration',
    );
    assert.ok(
      warmed <= started && started <= ready,
      `migrated ${migrated} warmed ${warmed} started ${started} ready ${ready}`,
    );
    const users = JSON.parse(
      await c.k(['exec', initPod, '-c', 'web-app', '--', 'curl', '-s', 'localhost:8080/users']),
    );
    assert.deepEqual(
      users.items.map((u: { username: string }) => u.username),
      ['alice', 'bob'],
    );
    const config = JSON.parse(
      await c.k(['exec', initPod, '-c', 'web-app', '--', 'curl', '-s', 'localhost:8080/config']),
    );
    assert.equal(config.initialized, true);
  });

  test('seed: kubectl top pods --containers; kubectl describe pod of the init pod', async () => {
    const top = await until('metrics of every container', async () => {
      const r = await c.kubectl(['top', 'pods', '--containers']);
      return r.code === 0 && r.stdout.includes('log-shipper') && r.stdout.includes('metrics-adapter')
        ? r.stdout
        : undefined;
    });
    assert.match(top, new RegExp(`${sidecarPod}\\s+web-app\\s+\\d+m\\s+\\d+Mi`));
    const describe = await c.k(['describe', 'pod', initPod]);
    const initSection = describe.slice(
      describe.indexOf('Init Containers:'),
      describe.indexOf('\nContainers:'),
    );
    for (const name of ['db-migration', 'cache-warmer']) assert.match(initSection, new RegExp(`  ${name}:`));
    assert.equal(initSection.match(/State:\s+Terminated\n\s+Reason:\s+Completed/g)?.length, 2, initSection);
  });

  test('delete everything: nothing left behind; re-apply: the same pods come back Ready', async () => {
    await c.k(['delete', '-k', PATTERNS_DIR, '--wait=true', '--timeout=120s']);
    for (const ns of ['development', 'database']) {
      const r = await c.kubectl(['get', 'pods', '-n', ns, '--no-headers']);
      assert.equal(r.stdout.trim(), '', `pods left in ${ns}`);
    }
    const sandboxes = join(c.dataDir, 'runtime', 'sandboxes');
    await until('the runtime to forget every sandbox', async () =>
      !existsSync(sandboxes) || readdirSync(sandboxes).length === 0 ? true : undefined,
    );
    // The node itself (bridge, nft tables, route_localnet) stays while the server runs; nothing of a
    // pod does.
    const podLeftovers = machineLeftovers(c.dataDir).filter(
      (l) => !/podbay0|nft table|cgroup .*\/podbay$|^sysctl net\.ipv4\.conf\.all\.route_localnet=/.test(l),
    );
    assert.deepEqual(podLeftovers, []);
    const r = await c.up();
    assert.equal(r.code, 0, `podbay up again:\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /podbay server running/);
    assert.equal((await c.pods('pattern')).length, EXPECTED_PODS.development);
    assert.equal((await c.pods('app', 'database')).length, EXPECTED_PODS.database);
    // A fresh database (emptyDir) migrated again: the web app serves the same rows.
    const users = await c.kubectl([
      'exec',
      'deploy/web-app-with-init',
      '-c',
      'web-app',
      '--',
      'curl',
      '-s',
      'localhost:8080/users',
    ]);
    if (users.code !== 0) {
      const events = await c.kubectl(['get', 'events', '--sort-by=.lastTimestamp']);
      const state = await c.kubectl(['get', 'rs,pods', '-o', 'wide']);
      assert.fail(
        `exec into the re-applied init pod failed: ${users.stderr}\n${state.stdout}\n${events.stdout.slice(-4000)}`,
      );
    }
    assert.deepEqual(
      JSON.parse(users.stdout).items.map((u: { username: string }) => u.username),
      ['alice', 'bob'],
    );
  });

  test('podbay down leaves nothing behind and gives the kubeconfig back', async () => {
    const down = await c.podbay(['down']);
    assert.equal(down.code, 0, `${down.stdout}${down.stderr}`);
    assert.deepEqual(machineLeftovers(c.dataDir), []);
    const contexts = await c.k(['config', 'get-contexts', '-o', 'name']);
    assert.equal(contexts.trim(), '');
  });
});
