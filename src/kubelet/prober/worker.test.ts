import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Container, Pod, PodStatus } from 'kubernetes-types/core/v1';
import type { ExecRunner } from './exec-probe.js';
import { ProbeManager } from './manager.js';
import { ResultsManager, type ResultUpdate } from './results.js';
import { ProbeWorker } from './worker.js';

let server: http.Server;
let port = 0;
let healthy = true;
let hits = 0;
const noExec: ExecRunner = { execSync: () => Promise.reject(new Error('exec not used')) };

before(async () => {
  server = http.createServer((_req, res) => {
    hits++;
    res.statusCode = healthy ? 200 : 500;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const NOW = Date.parse('2026-01-01T00:01:00Z');
function setup(container: Container, type: 'liveness' | 'readiness' | 'startup', restartPolicy = 'Always') {
  const pod: Pod = {
    metadata: { name: 'p', namespace: 'ns', uid: 'u1' },
    spec: { restartPolicy, containers: [container] },
  };
  let status: PodStatus = running('c1', true);
  const results = new ResultsManager();
  const updates: ResultUpdate[] = [];
  results.onUpdate((u) => updates.push(u));
  const events: string[] = [];
  const worker = new ProbeWorker(pod, container, type, false, {
    results,
    podStatus: () => status,
    exec: noExec,
    recordEvent: (reason, message) => events.push(`${reason}: ${message}`),
    now: () => NOW,
  });
  return { worker, results, updates, events, setStatus: (s: PodStatus) => (status = s) };
}
function running(id: string, started: boolean, startedAt = '2026-01-01T00:00:00Z'): PodStatus {
  return {
    phase: 'Running',
    podIP: '127.0.0.1',
    containerStatuses: [
      {
        name: 'app',
        containerID: `podbay://${id}`,
        image: 'x',
        imageID: '',
        ready: false,
        restartCount: 0,
        started,
        state: { running: { startedAt } },
      },
    ],
  };
}
const probe = (extra = {}) => ({
  httpGet: { path: '/', port },
  failureThreshold: 2,
  successThreshold: 2,
  ...extra,
});

describe('ProbeWorker', () => {
  test("a periodSeconds past setTimeout's 2^31-1 ms probes once, not every millisecond", async () => {
    healthy = true;
    const before = hits;
    const { worker } = setup(
      { name: 'app', readinessProbe: probe({ periodSeconds: 3_000_000 }) },
      'readiness',
    );
    worker.start();
    await new Promise((r) => setTimeout(r, 100));
    await worker.stop();
    assert.equal(hits - before, 1);
  });
  test('readiness: starts Failure, needs successThreshold, emits only changes', async () => {
    healthy = true;
    const { worker, updates } = setup({ name: 'app', readinessProbe: probe() }, 'readiness');
    await worker.doProbe();
    assert.deepEqual(
      updates.map((u) => u.result),
      ['Failure'],
      'initial readiness is Failure',
    );
    await worker.doProbe();
    assert.deepEqual(
      updates.map((u) => u.result),
      ['Failure', 'Success'],
    );
    await worker.doProbe();
    await worker.doProbe();
    assert.equal(updates.length, 2, 'unchanged results are not re-emitted');
    healthy = false;
    await worker.doProbe();
    assert.equal(updates.length, 2, 'one failure is below failureThreshold');
    await worker.doProbe();
    assert.deepEqual(
      updates.map((u) => u.result),
      ['Failure', 'Success', 'Failure'],
    );
    assert.equal(updates[2]?.containerId, 'c1');
  });

  test('liveness: failure puts the worker on hold until a new container id', async () => {
    healthy = false;
    const { worker, results, events, setStatus } = setup(
      { name: 'app', livenessProbe: probe({ successThreshold: 1 }) },
      'liveness',
    );
    await worker.doProbe();
    assert.equal(results.get('c1'), 'Success', 'liveness starts Success');
    await worker.doProbe();
    assert.equal(results.get('c1'), 'Failure');
    assert.match(
      events[0] ?? '',
      /^Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500$/,
    );
    const before = hits;
    await worker.doProbe();
    await worker.doProbe();
    assert.equal(hits, before, 'on hold: no probing of the dying container');
    healthy = true;
    setStatus(running('c2', true));
    await worker.doProbe();
    assert.equal(results.get('c1'), undefined, 'old container forgotten');
    assert.equal(results.get('c2'), 'Success');
    assert.equal(hits, before + 1);
  });

  test('probe errors are reported and thrown away', async () => {
    const bad = setup({ name: 'app', livenessProbe: { httpGet: { path: '/', port: 'web' } } }, 'liveness');
    await bad.worker.doProbe();
    assert.equal(bad.results.get('c1'), 'Success', 'only the initial value');
    assert.deepEqual(bad.events, [
      'Unhealthy: Liveness probe errored and resulted in unknown state: strconv.Atoi: parsing "web": invalid syntax',
    ]);
  });

  test('startup gating, initialDelaySeconds and stopped containers', async () => {
    healthy = true;
    const gated = setup({ name: 'app', livenessProbe: probe(), startupProbe: probe() }, 'liveness');
    gated.setStatus(running('c1', false));
    const before = hits;
    await gated.worker.doProbe();
    assert.equal(hits, before, 'liveness waits for startup');
    const startup = setup({ name: 'app', startupProbe: probe({ successThreshold: 1 }) }, 'startup');
    startup.setStatus(running('c1', false));
    await startup.worker.doProbe();
    assert.equal(startup.results.get('c1'), 'Success');
    startup.setStatus(running('c1', true));
    await startup.worker.doProbe();
    assert.equal(hits, before + 1, 'startup stops probing once started');

    const delayed = setup({ name: 'app', readinessProbe: probe({ initialDelaySeconds: 120 }) }, 'readiness');
    await delayed.worker.doProbe();
    assert.equal(hits, before + 1, 'within initialDelaySeconds (started 60 s ago)');
    assert.equal(delayed.results.get('c1'), 'Failure');

    const never = setup({ name: 'app', readinessProbe: probe() }, 'readiness', 'Never');
    await never.worker.doProbe();
    const exited = running('c1', false);
    const cs = exited.containerStatuses?.[0];
    if (cs) cs.state = { terminated: { exitCode: 0 } };
    never.setStatus(exited);
    assert.equal(await never.worker.doProbe(), false, 'terminated under Never: the worker ends');
    assert.equal(await never.worker.doProbe(), false);
  });
});

describe('ProbeManager', () => {
  test('runs workers on timers and serves the views', async () => {
    healthy = true;
    const container: Container = {
      name: 'app',
      readinessProbe: { httpGet: { path: '/', port }, periodSeconds: 1 },
    };
    const pod: Pod = {
      metadata: { name: 'p', namespace: 'ns', uid: 'u9' },
      spec: { containers: [container] },
    };
    const status = running('c9', true);
    const manager = new ProbeManager({
      exec: noExec,
      podStatus: () => status,
      recordEvent: () => {},
      now: () => NOW,
      secondMs: 10,
    });
    const seen: string[] = [];
    manager.onUpdate((type, u) => seen.push(`${type}:${u.result}`));
    manager.addPod(pod);
    const deadline = Date.now() + 2000;
    while (manager.probeView().readiness('c9') !== 'Success' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    assert.equal(manager.probeView().readiness('c9'), 'Success');
    assert.deepEqual(seen, ['readiness:Failure', 'readiness:Success']);
    await manager.removePod('u9');
    await manager.removePod('u9');
    assert.equal(manager.probeView().readiness('c9'), undefined);
  });
});
