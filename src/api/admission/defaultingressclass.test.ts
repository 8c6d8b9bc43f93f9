import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Ingress } from 'kubernetes-types/networking/v1';
import { defaultIngressClass } from './defaultingressclass.js';
import { type AdmissionTestRegistry, openAdmissionRegistry } from './testing/registry.js';

describe('DefaultIngressClass admission', () => {
  let t: AdmissionTestRegistry;
  beforeEach(() => {
    t = openAdmissionRegistry();
  });
  afterEach(() => t.close());

  const ingressClass = (name: string, isDefault: boolean) =>
    t.registry.create('ingressclasses', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: {
        name,
        ...(isDefault && { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }),
      },
      spec: { controller: `example.com/${name}` },
    });
  const ingress = (name: string, extra: { className?: string; annotation?: string } = {}) =>
    t.registry.create('ingresses', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name,
        namespace: 'default',
        ...(extra.annotation && { annotations: { 'kubernetes.io/ingress.class': extra.annotation } }),
      },
      spec: {
        defaultBackend: { service: { name: 'web', port: { number: 80 } } },
        ...(extra.className && { ingressClassName: extra.className }),
      },
    }) as Ingress;

  test('no default class: the Ingress keeps none', () => {
    ingressClass('other', false);
    assert.equal(ingress('a').spec?.ingressClassName, undefined);
  });
  test('the default class fills an unset ingressClassName on create', () => {
    ingressClass('other', false);
    ingressClass('podbay', true);
    assert.equal(ingress('a').spec?.ingressClassName, 'podbay');
  });
  test('an explicit class or the deprecated annotation is left alone', () => {
    ingressClass('podbay', true);
    assert.equal(ingress('a', { className: 'other' }).spec?.ingressClassName, 'other');
    assert.equal(ingress('b', { annotation: 'nginx' }).spec?.ingressClassName, undefined);
  });
  test('several defaults: the newest, then the first name', () => {
    const at = (name: string, ts: string) => ({
      metadata: {
        name,
        creationTimestamp: ts,
        annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' },
      },
    });
    assert.equal(
      defaultIngressClass([at('old', '2026-01-01T00:00:00Z'), at('new', '2026-02-01T00:00:00Z')])?.metadata
        ?.name,
      'new',
    );
    assert.equal(
      defaultIngressClass([at('b', '2026-01-01T00:00:00Z'), at('a', '2026-01-01T00:00:00Z')])?.metadata?.name,
      'a',
    );
    assert.equal(defaultIngressClass([{ metadata: { name: 'x' } }]), undefined);
  });

  test('updates are not defaulted', () => {
    const created = ingress('a');
    ingressClass('podbay', true);
    const updated = t.registry.update('ingresses', {
      ...created,
      metadata: { ...created.metadata, labels: { x: 'y' } },
    } as never) as Ingress;
    assert.equal(updated.spec?.ingressClassName, undefined);
  });
});
