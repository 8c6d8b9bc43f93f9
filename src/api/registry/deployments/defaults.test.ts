import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Deployment } from 'kubernetes-types/apps/v1';
import { defaultDeployment } from './defaults.js';

describe('defaultDeployment', () => {
  test('`kubectl create deployment web --image=nginx` as a 1.32 server stores its spec', () => {
    const d: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx' }] },
        },
      },
    };
    defaultDeployment(d);
    assert.deepEqual(d.spec, {
      progressDeadlineSeconds: 600,
      replicas: 1,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: 'web' } },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'web' } } as never,
        spec: {
          containers: [
            {
              image: 'nginx',
              imagePullPolicy: 'Always',
              name: 'nginx',
              resources: {},
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
          ],
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Always',
          schedulerName: 'default-scheduler',
          securityContext: {},
          terminationGracePeriodSeconds: 30,
        },
      },
    });
  });

  test('template specs get no pod-only defaults', () => {
    const d: Deployment = {
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          spec: { containers: [{ name: 'a', image: 'x:1', resources: { limits: { cpu: '1' } } }] },
        },
      },
    };
    defaultDeployment(d);
    const spec = d.spec!.template.spec!;
    assert.equal(spec.enableServiceLinks, undefined);
    assert.equal(spec.serviceAccountName, undefined);
    assert.equal(spec.tolerations, undefined);
    assert.deepEqual(spec.containers[0]!.resources, { limits: { cpu: '1' } });
  });

  test('Recreate gets no rollingUpdate; explicit values are kept', () => {
    const d: Deployment = {
      metadata: { name: 'web' },
      spec: {
        replicas: 0,
        strategy: { type: 'Recreate' },
        revisionHistoryLimit: 2,
        selector: {},
        template: {},
      },
    };
    defaultDeployment(d);
    assert.deepEqual(d.spec!.strategy, { type: 'Recreate' });
    assert.equal(d.spec!.replicas, 0);
    assert.equal(d.spec!.revisionHistoryLimit, 2);
  });
});
