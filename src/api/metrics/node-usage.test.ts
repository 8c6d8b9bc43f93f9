import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { busyCpuNs, ProcFormatError, ProcNodeMetricsSource, usedMemoryBytes } from './node-usage.js';

describe('node usage from /proc', () => {
  test('busy CPU counts every state but idle and iowait, in 10 ms ticks', () => {
    const stat = 'cpu  100 5 50 9000 40 3 2 1 0 0\ncpu0 100 5 50 9000 40 3 2 1 0 0\nintr 1\n';
    assert.equal(busyCpuNs(stat), (100 + 5 + 50 + 3 + 2 + 1) * 10_000_000);
    assert.throws(() => busyCpuNs('cpu0 1 2 3 4\n'), ProcFormatError);
    assert.throws(() => busyCpuNs('cpu  1 x 3 4\n'), /malformed/);
  });

  test('used memory is MemTotal - MemAvailable', () => {
    const meminfo = 'MemTotal:        8000000 kB\nMemFree:          100000 kB\nMemAvailable:    6000000 kB\n';
    assert.equal(usedMemoryBytes(meminfo), 2_000_000 * 1024);
    assert.throws(() => usedMemoryBytes('MemTotal: 1 kB\n'), /no MemAvailable line/);
  });

  // Tick counters are 10 ms coarse per CPU, so a 500 ms window may overshoot by a few percent.
  test('this machine: a CPU rate within the core count and memory within MemTotal', async () => {
    const usage = await new ProcNodeMetricsSource({
      minWindowMs: 500,
      maxWindowMs: 60_000,
      now: () => Date.now(),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    }).nodeUsage();
    const cores = readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .filter((l) => /^cpu\d/.test(l)).length;
    assert.ok(
      usage.cpuNanoCores >= 0 && usage.cpuNanoCores <= cores * 1e9 * 1.25,
      `cpu ${usage.cpuNanoCores}`,
    );
    const total = Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024;
    assert.ok(usage.memoryWorkingSetBytes > 0 && usage.memoryWorkingSetBytes < total);
    assert.ok(usage.windowSeconds >= 0.5);
  });
});
