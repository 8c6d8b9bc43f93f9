import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { addressPlan, persistedAddressPlan } from './address-plan.js';

test("the default plan is kubeadm's, with every address derived from the two ranges", () => {
  assert.deepEqual(addressPlan(), {
    podCidr: '10.244.0.0/16',
    serviceCidr: '10.96.0.0/12',
    gatewayIP: '10.244.0.1',
    kubernetesServiceIP: '10.96.0.1',
    clusterDnsIP: '10.96.0.10',
  });
  assert.deepEqual(addressPlan({ podCidr: '172.30.0.0/20', serviceCidr: '172.31.0.0/24' }), {
    podCidr: '172.30.0.0/20',
    serviceCidr: '172.31.0.0/24',
    gatewayIP: '172.30.0.1',
    kubernetesServiceIP: '172.31.0.1',
    clusterDnsIP: '172.31.0.10',
  });
});

test('bad ranges are refused naming the flag', () => {
  assert.throws(() => addressPlan({ podCidr: '10.244.0.0' }), /^AddressPlanError: --pod-cidr: invalid CIDR/);
  assert.throws(
    () => addressPlan({ podCidr: '10.244.0.5/16' }),
    /--pod-cidr: .*host bits set; did you mean 10.244.0.0\/16/,
  );
  assert.throws(() => addressPlan({ podCidr: '10.244.0.0/28' }), /--pod-cidr: .*between \/8 and \/24/);
  assert.throws(() => addressPlan({ serviceCidr: '10.96.0.0/30' }), /--service-cidr: .*between \/8 and \/28/);
  assert.throws(
    () => addressPlan({ podCidr: '10.0.0.0/8', serviceCidr: '10.96.0.0/12' }),
    /--service-cidr: 10.96.0.0\/12 overlaps the pod range 10.0.0.0\/8/,
  );
});

test('a data dir keeps the plan of its first start; another one is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podbay-plan-'));
  try {
    const first = addressPlan({ podCidr: '10.250.0.0/16' });
    assert.deepEqual(persistedAddressPlan(dir, first), first);
    assert.deepEqual(persistedAddressPlan(dir, addressPlan({ podCidr: '10.250.0.0/16' })), first);
    assert.throws(
      () => persistedAddressPlan(dir, addressPlan()),
      /--pod-cidr: 10.244.0.0\/16 differs from 10.250.0.0\/16, which this data dir .* was set up with/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
