import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject, ResourceInfo } from '../types.js';
import { checkFieldTypes } from './field-types.js';

const POD = { group: '', version: 'v1', kind: 'Pod' } as ResourceInfo;
const DEPLOY = { group: 'apps', version: 'v1', kind: 'Deployment' } as ResourceInfo;
const pod = (spec: unknown) =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec }) as KubeObject;

test("a wrong JSON type is Go's decoding error naming the struct, field path and type", () => {
  const cases: [KubeObject, ResourceInfo, string][] = [
    [
      pod({ containers: [{ name: true, image: 'x' }] }),
      POD,
      'bool into Go struct field Container.spec.containers.name of type string',
    ],
    [
      pod({ containers: [{ name: 'a', ports: [{ containerPort: '80' }] }] }),
      POD,
      'string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    ],
    [
      pod({ containers: [{ name: 'a', ports: [{ containerPort: 80.5 }] }] }),
      POD,
      'number 80.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    ],
    [
      pod({ containers: { name: 'a' } }),
      POD,
      'object into Go struct field PodSpec.spec.containers of type []Container',
    ],
    [pod('nope'), POD, 'string into Go struct field Pod.spec of type PodSpec'],
    [
      pod({ hostNetwork: 'yes', containers: [] }),
      POD,
      'string into Go struct field PodSpec.spec.hostNetwork of type bool',
    ],
    [
      pod({ nodeSelector: { disk: 1 }, containers: [] }),
      POD,
      'number 1 into Go struct field PodSpec.spec.nodeSelector of type string',
    ],
    [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: ['a'] } } as unknown as KubeObject,
      POD,
      'array into Go struct field ObjectMeta.metadata.labels of type map[string]string',
    ],
    [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd' },
        spec: { replicas: '3' },
      } as KubeObject,
      DEPLOY,
      'string into Go struct field DeploymentSpec.spec.replicas of type int32',
    ],
    [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd' },
        spec: { replicas: 2 ** 53 },
      } as KubeObject,
      DEPLOY,
      'number 9007199254740992 into Go struct field DeploymentSpec.spec.replicas of type int32',
    ],
    [
      pod({ activeDeadlineSeconds: 1e300, containers: [] }),
      POD,
      'number 1e+300 into Go struct field PodSpec.spec.activeDeadlineSeconds of type int64',
    ],
  ];
  for (const [obj, info, tail] of cases) {
    assert.throws(
      () => checkFieldTypes(info, obj),
      (e: Error & { code?: number }) => {
        assert.equal(e.code, 400);
        assert.equal(
          e.message,
          `${info.kind} in version "${info.group ? `${info.group}/` : ''}v1" cannot be handled as a ${info.kind}: json: cannot unmarshal ${tail}`,
        );
        return true;
      },
    );
  }
});

test('right types, nulls and special types (quantities, int-or-string, times) pass', () => {
  checkFieldTypes(
    POD,
    pod({
      containers: [
        {
          name: 'a',
          image: 'x',
          ports: null,
          resources: { limits: { cpu: 1, memory: '64Mi' } },
          livenessProbe: { httpGet: { port: 'http' } },
          readinessProbe: { tcpSocket: { port: 8080 } },
        },
      ],
      terminationGracePeriodSeconds: 0,
      nodeSelector: null,
    }),
  );
  checkFieldTypes(DEPLOY, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', creationTimestamp: null },
    spec: { replicas: 2, strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } } },
  } as unknown as KubeObject);
});

test("null leaves Go's zero value: a field is dropped, a list item or map value becomes its type's zero", () => {
  const NS = { group: '', version: 'v1', kind: 'Namespace' } as ResourceInfo;
  const ns = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'n', labels: { a: null }, annotations: null, finalizers: ['x', null] },
    spec: { finalizers: [null] },
    status: null,
  } as unknown as KubeObject;
  checkFieldTypes(NS, ns);
  assert.deepEqual(ns, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'n', labels: { a: '' }, finalizers: ['x', ''] },
    spec: { finalizers: [''] },
  });
  const p = pod({ containers: [null, { name: 'c', image: 'i', ports: [null], resources: null }] });
  checkFieldTypes(POD, p);
  assert.deepEqual(p.spec, { containers: [{}, { name: 'c', image: 'i', ports: [{}] }] });
});

test('metav1.Time fields take an RFC 3339 string (stored otherwise, they broke every Table: a 500)', () => {
  const CRONJOB = { group: 'batch', version: 'v1', kind: 'CronJob' } as ResourceInfo;
  const cj = (status: unknown) =>
    ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, status }) as KubeObject;
  assert.throws(
    () => checkFieldTypes(CRONJOB, cj({ lastScheduleTime: 'Running' })),
    (e: Error) =>
      e.message ===
      'CronJob in version "batch/v1" cannot be handled as a CronJob: parsing time "Running" as "2006-01-02T15:04:05Z07:00" (Go struct field CronJobStatus.status.lastScheduleTime of type Time): not an RFC 3339 time',
  );
  assert.throws(
    () => checkFieldTypes(CRONJOB, cj({ lastScheduleTime: 5 })),
    /json: cannot unmarshal number 5 into Go struct field CronJobStatus.status.lastScheduleTime of type Time$/,
  );
  assert.throws(() => checkFieldTypes(CRONJOB, cj({ lastScheduleTime: {} })), /unmarshal object into/);
  assert.throws(
    () => checkFieldTypes(CRONJOB, cj({ lastScheduleTime: '2024-02-30T00:00:00Z' })),
    /parsing time/,
  );
  assert.throws(
    () =>
      checkFieldTypes(POD, {
        ...pod({ containers: [] }),
        status: { conditions: [{ lastTransitionTime: 'x' }] },
      }),
    /PodCondition.status.conditions.lastTransitionTime of type Time/,
  );
  // RFC 3339 (any fraction, any offset), "" and null pass.
  for (const t of ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00.123456+02:00', '', null])
    checkFieldTypes(CRONJOB, cj({ lastScheduleTime: t, lastSuccessfulTime: t }));
  checkFieldTypes(POD, {
    ...pod({ containers: [] }),
    metadata: { name: 'p', creationTimestamp: null },
  } as unknown as KubeObject);
});
