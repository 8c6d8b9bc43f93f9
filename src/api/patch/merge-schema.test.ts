import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { knownKinds, schemaFor, zeroValueStructs } from './merge-schema.js';

describe('merge schema table', () => {
  test('serves every kind podbay serves', () => {
    assert.deepEqual(knownKinds().sort(), [
      '/ConfigMap',
      '/Endpoints',
      '/Event',
      '/LimitRange',
      '/Namespace',
      '/Node',
      '/PersistentVolume',
      '/PersistentVolumeClaim',
      '/Pod',
      '/ResourceQuota',
      '/Secret',
      '/Service',
      '/ServiceAccount',
      'apiextensions.k8s.io/CustomResourceDefinition',
      'apps/ControllerRevision',
      'apps/DaemonSet',
      'apps/Deployment',
      'apps/ReplicaSet',
      'apps/StatefulSet',
      'autoscaling/HorizontalPodAutoscaler',
      'autoscaling/Scale',
      'batch/CronJob',
      'batch/Job',
      'coordination.k8s.io/Lease',
      'discovery.k8s.io/EndpointSlice',
      'networking.k8s.io/Ingress',
      'networking.k8s.io/IngressClass',
      'networking.k8s.io/NetworkPolicy',
      'policy/PodDisruptionBudget',
      'rbac.authorization.k8s.io/ClusterRole',
      'rbac.authorization.k8s.io/ClusterRoleBinding',
      'rbac.authorization.k8s.io/Role',
      'rbac.authorization.k8s.io/RoleBinding',
      'scheduling.k8s.io/PriorityClass',
      'storage.k8s.io/StorageClass',
    ]);
  });

  test('upstream tags of the fields kubectl patches', () => {
    // `kubectl set image ds/x` sends $setElementOrder for the template's containers.
    assert.equal(
      schemaFor({ group: 'apps', kind: 'DaemonSet' }).rule('spec.template.spec.containers')?.mergeKey,
      'name',
    );
    // ... and so does `kubectl set image|env|resources` for Jobs and CronJobs.
    assert.equal(
      schemaFor({ group: 'batch', kind: 'Job' }).rule('spec.template.spec.containers')?.mergeKey,
      'name',
    );
    const cronJob = schemaFor({ group: 'batch', kind: 'CronJob' });
    assert.equal(cronJob.rule('spec.jobTemplate.spec.template.spec.containers')?.mergeKey, 'name');
    assert.equal(cronJob.rule('spec.jobTemplate.spec.template.spec.containers[].env')?.mergeKey, 'name');
    assert.deepEqual(schemaFor({ group: 'batch', kind: 'Job' }).rule('status.conditions'), {
      strategy: 'merge',
      mergeKey: 'type',
      listType: 'atomic',
    });
    const pod = schemaFor({ group: '', kind: 'Pod' });
    assert.equal(pod.rule('spec.containers')?.mergeKey, 'name');
    assert.equal(pod.rule('spec.containers[].env')?.mergeKey, 'name');
    assert.equal(pod.rule('spec.containers[].ports')?.mergeKey, 'containerPort');
    assert.deepEqual(pod.rule('spec.containers[].ports')?.listMapKeys, ['containerPort', 'protocol']);
    assert.equal(pod.rule('spec.initContainers[].volumeMounts')?.mergeKey, 'mountPath');
    assert.equal(pod.rule('spec.volumes')?.retainKeys, true);
    assert.equal(pod.rule('spec.containers[].args'), undefined);
    assert.equal(pod.rule('spec.tolerations'), undefined);
    assert.equal(pod.rule('metadata.ownerReferences')?.mergeKey, 'uid');
    assert.deepEqual(pod.rule('metadata.finalizers'), { strategy: 'merge', listType: 'set' });
    assert.equal(pod.rule('status.conditions')?.mergeKey, 'type');
    assert.equal(pod.rule('spec.nodeSelector')?.atomic, true);
  });

  test('Deployment and ReplicaSet share the pod template subtree; Service ports key by port', () => {
    for (const kind of ['Deployment', 'ReplicaSet']) {
      const s = schemaFor({ group: 'apps', kind });
      assert.equal(s.rule('spec.template.spec.containers[].env')?.mergeKey, 'name');
      assert.equal(s.rule('spec.template.metadata.finalizers')?.listType, 'set');
      assert.equal(s.rule('spec.selector')?.atomic, true);
    }
    assert.equal(schemaFor({ group: 'apps', kind: 'Deployment' }).rule('spec.strategy')?.retainKeys, true);
    assert.equal(schemaFor({ group: '', kind: 'Service' }).rule('spec.ports')?.mergeKey, 'port');
    assert.equal(schemaFor({ group: '', kind: 'Endpoints' }).rule('subsets'), undefined);
    assert.equal(schemaFor({ group: '', kind: 'Node' }).rule('spec.podCIDRs')?.listType, 'set');
  });

  test('unknown kinds know ObjectMeta only; a path equal to an Object method is not a rule', () => {
    const s = schemaFor({ group: 'x.io', kind: 'Widget' });
    assert.equal(s.known, false);
    assert.equal(s.rule('metadata.ownerReferences')?.mergeKey, 'uid');
    assert.equal(s.rule('spec.containers'), undefined);
    assert.equal(s.rule('constructor'), undefined);
    assert.deepEqual(zeroValueStructs({ group: 'x.io', kind: 'Widget' }), []);
  });
});
