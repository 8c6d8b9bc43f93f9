import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalizeQuantity } from '../quantity.js';
import { formatWindow, usageQuantities } from './metrics-api.js';

describe('metrics.k8s.io value formats', () => {
  test('usage quantities are CPU nanocores and memory Ki when whole', () => {
    assert.deepEqual(usageQuantities({ cpuNanoCores: 1234567.4, memoryWorkingSetBytes: 4096 * 1024 }), {
      cpu: '1234567n',
      memory: '4096Ki',
    });
    assert.equal(usageQuantities({ cpuNanoCores: 0, memoryWorkingSetBytes: 1000 }).memory, '1000');
    // They are valid Kubernetes quantities (kubectl parses them with the same grammar).
    assert.equal(canonicalizeQuantity('1234567n'), '1234567n');
    assert.equal(canonicalizeQuantity('4096Ki'), '4Mi');
  });

  test('window is a Go duration string', () => {
    assert.equal(formatWindow(10.5), '10.5s');
    assert.equal(formatWindow(0.5), '500ms');
    assert.equal(formatWindow(1.0004), '1s');
  });
});
