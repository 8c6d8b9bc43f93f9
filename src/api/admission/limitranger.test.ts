import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { LimitRangeItem, Pod } from 'kubernetes-types/core/v1';
import { LIMIT_RANGER_ANNOTATION } from './limitranger.js';
import {
  type AdmissionTestRegistry,
  openAdmissionRegistry,
  podWith,
  thrownMessage,
} from './testing/registry.js';

describe('LimitRanger admission', () => {
  let t: AdmissionTestRegistry;
  beforeEach(() => {
    t = openAdmissionRegistry();
  });
  afterEach(() => t.close());

  const limitRange = (name: string, ...limits: LimitRangeItem[]) =>
    t.registry.create('limitranges', {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name, namespace: 'default' },
      spec: { limits },
    });
  const create = (pod: ReturnType<typeof podWith>) => t.registry.create('pods', pod) as Pod;

  test('defaults limits and requests of containers and init containers, and says so', () => {
    limitRange('lr', {
      type: 'Container',
      default: { cpu: '500m', memory: '256Mi' },
      defaultRequest: { cpu: '100m' },
    });
    const input = podWith('web', { app: undefined, side: { requests: { cpu: '200m' } } }) as Pod & {
      kind: string;
    };
    input.spec!.initContainers = [
      { name: 'init', image: 'busybox', resources: { limits: { memory: '128Mi' } } },
    ];
    const pod = create(input as ReturnType<typeof podWith>);
    assert.deepEqual(pod.spec!.containers[0]!.resources, {
      limits: { cpu: '500m', memory: '256Mi' },
      requests: { cpu: '100m', memory: '256Mi' },
    });
    assert.deepEqual(pod.spec!.containers[1]!.resources, {
      limits: { cpu: '500m', memory: '256Mi' },
      requests: { cpu: '200m', memory: '256Mi' },
    });
    // The init container's memory request came from its own limit (API defaulting, before admission).
    assert.deepEqual(pod.spec!.initContainers![0]!.resources, {
      limits: { memory: '128Mi', cpu: '500m' },
      requests: { memory: '128Mi', cpu: '100m' },
    });
    assert.equal(
      pod.metadata!.annotations![LIMIT_RANGER_ANNOTATION],
      'LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app; ' +
        'memory request for container side; cpu, memory limit for container side; ' +
        'cpu request for init container init; cpu limit for init container init',
    );
    // The QoS class is the admitted pod's.
    assert.equal(pod.status!.qosClass, 'Burstable');
  });

  test('nothing to default: no annotation', () => {
    limitRange('lr', { type: 'Container', default: { cpu: '1' } });
    const pod = create(podWith('p', { app: { limits: { cpu: '1' } } }));
    assert.equal(pod.metadata!.annotations?.[LIMIT_RANGER_ANNOTATION], undefined);
  });

  test('max and min per Container, with upstream messages', () => {
    limitRange('lr', { type: 'Container', max: { cpu: '1' }, min: { memory: '64Mi' } });
    assert.equal(
      thrownMessage(() => create(podWith('big', { app: { limits: { cpu: '2', memory: '128Mi' } } }))),
      'pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2',
    );
    assert.equal(
      thrownMessage(() => create(podWith('small', { app: { limits: { cpu: '1', memory: '32Mi' } } }))),
      'pods "small" is forbidden: minimum memory usage per Container is 64Mi, but request is 32Mi',
    );
    // Both at once, aggregated.
    assert.equal(
      thrownMessage(() => create(podWith('both', { app: { limits: { cpu: '2', memory: '32Mi' } } }))),
      'pods "both" is forbidden: [minimum memory usage per Container is 64Mi, but request is 32Mi, maximum cpu usage per Container is 1, but limit is 2]',
    );
    // Within bounds (the max defaulted the limit, the min the request).
    const ok = create(podWith('ok', { app: undefined }));
    assert.deepEqual(ok.spec!.containers[0]!.resources, {
      limits: { cpu: '1' },
      requests: { cpu: '1', memory: '64Mi' },
    });
    assert.equal(t.registry.get('pods', 'default', 'big'), undefined);
  });

  test('Pod items: the pod total, and what is not specified', () => {
    limitRange('lr', { type: 'Pod', max: { cpu: '1' }, min: { memory: '64Mi' } });
    assert.equal(
      thrownMessage(() =>
        create(
          podWith('p', { a: { limits: { cpu: '600m', memory: '64Mi' } }, b: { limits: { cpu: '600m' } } }),
        ),
      ),
      'pods "p" is forbidden: maximum cpu usage per Pod is 1, but limit is 1200m',
    );
    assert.equal(
      thrownMessage(() => create(podWith('q', { a: undefined }))),
      'pods "q" is forbidden: [minimum memory usage per Pod is 64Mi.  No request is specified, maximum cpu usage per Pod is 1.  No limit is specified]',
    );
  });

  test('maxLimitRequestRatio', () => {
    limitRange('lr', { type: 'Container', maxLimitRequestRatio: { cpu: '2' } });
    assert.equal(
      thrownMessage(() => create(podWith('r', { app: { requests: { cpu: '100m' }, limits: { cpu: '1' } } }))),
      'pods "r" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 10.000000',
    );
    assert.equal(
      thrownMessage(() => create(podWith('s', { app: undefined }))),
      'pods "s" is forbidden: cpu max limit to request ratio per Container is 2, but no request is specified or request is 0',
    );
  });

  test('only creates: pod updates and dry runs of other kinds are not limited', () => {
    const pod = create(podWith('old', { app: { limits: { cpu: '2' } } }));
    limitRange('lr', { type: 'Container', max: { cpu: '1' } });
    const updated = t.registry.update('pods', {
      ...pod,
      metadata: { ...pod.metadata, labels: { a: 'b' } },
    } as never);
    assert.equal((updated as Pod).metadata!.labels!.a, 'b');
    assert.match(
      thrownMessage(() =>
        t.registry.create('pods', podWith('dry', { app: { limits: { cpu: '2' } } }), { dryRun: true }),
      ),
      /maximum cpu usage per Container is 1, but limit is 2/,
    );
  });

  test("PersistentVolumeClaim items: min and max against the claim's storage request", () => {
    limitRange('storage', {
      type: 'PersistentVolumeClaim',
      min: { storage: '1Gi' },
      max: { storage: '5Gi' },
    });
    const claim = (name: string, storage: string) => () =>
      t.registry.create('persistentvolumeclaims', {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name, namespace: 'default' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
      });
    assert.equal(
      thrownMessage(claim('big', '10Gi')),
      'persistentvolumeclaims "big" is forbidden: maximum storage usage per PersistentVolumeClaim is 5Gi, but request is 10Gi',
    );
    assert.equal(
      thrownMessage(claim('small', '500Mi')),
      'persistentvolumeclaims "small" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi',
    );
    claim('ok', '2Gi')();
  });
});
