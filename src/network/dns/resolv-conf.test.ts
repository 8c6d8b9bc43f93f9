import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseResolvConf, ResolvConfError } from './resolv-conf.js';

describe('parseResolvConf', () => {
  test('nameservers in order, comments and other options ignored, the cluster DNS excluded', () => {
    const text = [
      '# generated',
      'search example.test',
      'nameserver 192.0.2.53',
      'nameserver 10.96.0.10 ; ourselves',
      'nameserver fe80::1%eth0',
      'options ndots:5',
    ].join('\n');
    assert.deepEqual(parseResolvConf(text, ['10.96.0.10']), [
      { host: '192.0.2.53', port: 53 },
      { host: 'fe80::1', port: 53 },
    ]);
  });

  test('a nameserver that is not an IP is an error naming the line', () => {
    assert.throws(
      () => parseResolvConf('nameserver 1.1.1.1\nnameserver dns.example\n'),
      (e: unknown) => {
        assert.ok(e instanceof ResolvConfError);
        assert.match(e.message, /line 2: nameserver "dns.example" is not an IP address/);
        return true;
      },
    );
  });
});
