/**
 * A second served version of a stored kind at the wire: autoscaling/v1 HorizontalPodAutoscaler over
 * the stored autoscaling/v2 objects (create, get, list, patch and watch in v1; the same object in v2).
 */
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, test } from 'node:test';
import { startTestApiServer, type TestApiServer } from '../testing/api-server.js';

describe('autoscaling/v1 HorizontalPodAutoscaler, a view of the stored v2 object', () => {
  let srv: TestApiServer;
  before(async () => {
    srv = await startTestApiServer();
  });
  after(() => srv.close());

  function call(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
    accept = 'application/json',
  ): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: srv.port,
          ca: srv.ca,
          method,
          path,
          headers: { authorization: `Bearer ${srv.token}`, 'content-type': contentType, accept },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => {
            text += d.toString();
            // A watch stays open: the first event is enough.
            if (path.includes('watch=1') && text.includes('\n')) {
              req.destroy();
              resolve({ status: res.statusCode ?? 0, body: text });
            }
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.write(JSON.stringify(body));
      req.end();
    });
  }

  const V1 = '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers';
  const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
  const V2 = '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers';

  test('create in v1, read in both versions, patch in v1, list and watch in v1', async () => {
    const created = await call('POST', V1, {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        maxReplicas: 3,
        targetCPUUtilizationPercentage: 50,
      },
    });
    assert.equal(created.status, 201, created.body);
    const v1 = JSON.parse(created.body);
    assert.equal(v1.apiVersion, 'autoscaling/v1');
    assert.deepEqual(v1.spec, {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 3,
      targetCPUUtilizationPercentage: 50,
    });
    assert.deepEqual(v1.status, { currentReplicas: 0, desiredReplicas: 0 });

    const v2 = JSON.parse((await call('GET', `${V2}/web`)).body);
    assert.equal(v2.apiVersion, 'autoscaling/v2');
    assert.deepEqual(v2.spec.metrics, [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
      },
    ]);
    assert.deepEqual(v2.status, { desiredReplicas: 0, currentMetrics: null });

    // A v1 merge patch means what it says in v1.
    const patched = await call(
      'PATCH',
      `${V1}/web`,
      { spec: { targetCPUUtilizationPercentage: 70 } },
      'application/merge-patch+json',
    );
    assert.equal(patched.status, 200, patched.body);
    assert.equal(JSON.parse(patched.body).spec.targetCPUUtilizationPercentage, 70);
    const after = JSON.parse((await call('GET', `${V2}/web`)).body);
    assert.equal(after.spec.metrics[0].resource.target.averageUtilization, 70);

    const list = JSON.parse((await call('GET', V1)).body);
    assert.equal(list.kind, 'HorizontalPodAutoscalerList');
    assert.equal(list.apiVersion, 'autoscaling/v1');
    assert.equal(list.items[0].spec.targetCPUUtilizationPercentage, 70);

    const table = JSON.parse(
      (await call('GET', `${V1}/web?includeObject=Object`, undefined, 'application/json', TABLE)).body,
    );
    assert.equal(table.kind, 'Table');
    assert.equal(table.rows[0].cells[2], 'cpu: <unknown>/70%');
    assert.equal(table.rows[0].object.apiVersion, 'autoscaling/v1');
    assert.equal(table.rows[0].object.spec.targetCPUUtilizationPercentage, 70);

    const watch = await call('GET', `${V1}?watch=1`);
    const event = JSON.parse(watch.body.split('\n')[0]!);
    assert.equal(event.type, 'ADDED');
    assert.equal(event.object.apiVersion, 'autoscaling/v1');
    assert.equal(event.object.spec.targetCPUUtilizationPercentage, 70);
  });

  test('v1 writes are validated as the stored kind, and a wrong apiVersion is refused', async () => {
    const bad = await call('POST', V1, {
      metadata: { name: 'bad' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 4, maxReplicas: 3 },
    });
    assert.equal(bad.status, 422);
    assert.match(
      JSON.parse(bad.body).message,
      /spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`/,
    );
    const wrong = await call('POST', V1, {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'x' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3 },
    });
    assert.equal(wrong.status, 400);
  });

  test('discovery serves both versions, v2 preferred', async () => {
    const group = JSON.parse((await call('GET', '/apis/autoscaling')).body);
    assert.deepEqual(
      group.versions.map((v: { version: string }) => v.version),
      ['v2', 'v1'],
    );
    assert.equal(group.preferredVersion.version, 'v2');
    const v1 = JSON.parse((await call('GET', '/apis/autoscaling/v1')).body);
    assert.deepEqual(
      v1.resources.map((r: { name: string }) => r.name),
      ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'],
    );
  });
});
