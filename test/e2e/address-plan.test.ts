/**
 * `--pod-cidr` / `--service-cidr` (API only here; the pod side runs the same plan through the
 * bridge and DNS): the engine's own Services take the derived addresses, new Services get
 * addresses from the chosen range, and a data dir refuses another plan on a later start.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { TestServer } from './harness.js';

describe('the address plan flags', () => {
  const srv = new TestServer();
  after(() => srv.destroy());

  test('Services take addresses from --service-cidr; the kubernetes Service its first', async () => {
    await srv.start('127.0.0.1:0', ['--service-cidr', '10.123.0.0/24', '--pod-cidr', '10.124.0.0/20']);
    assert.equal(
      (await srv.k(['get', 'svc', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.spec.clusterIP}'])).trim(),
      '10.123.0.1',
    );
    await srv.k(['create', 'service', 'clusterip', 'web', '--tcp=80:8080']);
    const ip = (await srv.k(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    assert.match(ip, /^10\.123\.0\.\d+$/);
    assert.notEqual(ip, '10.123.0.10', 'the cluster DNS address is reserved');
    const outside = await srv.kubectl([
      'create',
      'service',
      'clusterip',
      'x',
      '--tcp=80',
      '--clusterip=10.96.0.50',
    ]);
    assert.notEqual(outside.code, 0);
    assert.match(
      outside.stderr,
      /provided IP is not in the valid range. The range of valid IPs is 10.123.0.0\/24/,
    );
    assert.equal(await srv.stop(), 0);
  });

  test('a later start with another range is refused, naming the flag and the recorded range', async () => {
    await assert.rejects(
      srv.start('127.0.0.1:0', ['--service-cidr', '10.96.0.0/12', '--pod-cidr', '10.124.0.0/20']),
      /--service-cidr: 10.96.0.0\/12 differs from 10.123.0.0\/24, which this data dir .* was set up with/,
    );
  });

  test('a malformed range is refused before anything starts', async () => {
    const fresh = new TestServer();
    try {
      await assert.rejects(
        fresh.start('127.0.0.1:0', ['--pod-cidr', '10.244.0.9/16']),
        /--pod-cidr: .*did you mean 10.244.0.0\/16/,
      );
    } finally {
      await fresh.destroy();
    }
  });
});
