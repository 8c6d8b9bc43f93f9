import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Namespace, ServiceAccount } from 'kubernetes-types/core/v1';
import { nameIsDNSSubdomain, validateNamespaceName } from '../../validation/names.js';
import { createErrors, updateErrors } from '../../validation/testing/pipeline.js';
import { validateServiceAccount, validateServiceAccountUpdate } from '../serviceaccounts/validation.js';
import { defaultNamespace } from './defaults.js';
import { validateNamespace, validateNamespaceUpdate } from './validation.js';

const NAMESPACE = {
  namespaced: false,
  name: validateNamespaceName,
  validate: validateNamespace,
  validateUpdate: validateNamespaceUpdate,
};
const SERVICE_ACCOUNT = {
  namespaced: true,
  name: nameIsDNSSubdomain,
  validate: validateServiceAccount,
  validateUpdate: validateServiceAccountUpdate,
};

describe('Namespace', () => {
  test('`kubectl create namespace dev` as a 1.32 server stores it', () => {
    const ns: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } };
    defaultNamespace(ns);
    assert.deepEqual(ns, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'dev', labels: { 'kubernetes.io/metadata.name': 'dev' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  });
  test('the name label always follows the name', () => {
    const ns: Namespace = {
      metadata: { name: 'dev', labels: { 'kubernetes.io/metadata.name': 'other', team: 'a' } },
    };
    defaultNamespace(ns);
    assert.deepEqual(ns.metadata!.labels, { 'kubernetes.io/metadata.name': 'dev', team: 'a' });
  });
  test('the kubernetes finalizer is ensured on live namespaces only', () => {
    const live: Namespace = { metadata: { name: 'dev' }, spec: { finalizers: ['example.com/x'] } };
    defaultNamespace(live);
    assert.deepEqual(live.spec!.finalizers, ['example.com/x', 'kubernetes']);
    // The namespace controller removes it from a terminating namespace; defaulting must not undo that.
    const terminating: Namespace = {
      metadata: { name: 'dev', deletionTimestamp: '2024-01-01T00:00:00Z' },
      spec: { finalizers: [] },
      status: { phase: 'Terminating' },
    };
    defaultNamespace(terminating);
    assert.deepEqual(terminating.spec!.finalizers, []);
    assert.equal(terminating.status!.phase, 'Terminating');
  });
  test('names are DNS labels; cluster-scoped; finalizer names checked', () => {
    const ns: Namespace = {
      metadata: { name: 'team.dev', namespace: 'x' },
      spec: { finalizers: ['custom'] },
    };
    assert.deepEqual(createErrors(NAMESPACE, ns), [
      'metadata.name: Invalid value: "team.dev": must not contain dots',
      'metadata.namespace: Forbidden: not allowed on this type',
      'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });
  test('update keeps the name', () => {
    const old: Namespace = { metadata: { name: 'dev', resourceVersion: '1' } };
    assert.deepEqual(updateErrors(NAMESPACE, { metadata: { name: 'prod', resourceVersion: '1' } }, old), [
      'metadata.name: Invalid value: "prod": field is immutable',
    ]);
  });
});

describe('ServiceAccount', () => {
  test('names are DNS subdomains', () => {
    const sa: ServiceAccount = { metadata: { name: 'ci.bot', namespace: 'default' } };
    assert.deepEqual(createErrors(SERVICE_ACCOUNT, sa), []);
    assert.equal(createErrors(SERVICE_ACCOUNT, { metadata: { name: 'CI', namespace: 'default' } }).length, 1);
  });
});
