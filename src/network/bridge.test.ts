import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gatewayOf, nftRuleset } from './bridge.js';

test('without egress, pod traffic leaving the pod CIDR is counted and dropped; no masquerade', () => {
  const rules = nftRuleset({ podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/12', podEgress: false });
  assert.match(rules, /ip saddr 10\.244\.0\.0\/16 ip daddr != 10\.244\.0\.0\/16 counter drop/);
  assert.doesNotMatch(rules, /masquerade/);
});

test('with podEgress, masquerade like the CNI bridge plugin', () => {
  const rules = nftRuleset({ podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/12', podEgress: true });
  assert.match(rules, /masquerade/);
  assert.doesNotMatch(rules, /drop/);
  assert.equal(gatewayOf('10.244.0.0/16'), '10.244.0.1');
});
