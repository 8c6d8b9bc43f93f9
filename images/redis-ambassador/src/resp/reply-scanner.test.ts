import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeReply, RespError } from './decode.js';
import { ReplySyntaxError, scanReply } from './reply-scanner.js';

const replies: [string, string][] = [
  ['simple string', '+OK\r\n'],
  ['error', '-ERR bad\r\n'],
  ['integer', ':-42\r\n'],
  ['bulk', '$5\r\nhe\r\no\r\n'],
  ['null bulk', '$-1\r\n'],
  ['array', '*3\r\n$1\r\na\r\n:1\r\n*-1\r\n'],
  ['nested array', '*2\r\n*2\r\n+a\r\n+b\r\n*0\r\n'],
  ['RESP3 null / double / boolean / big number', '*4\r\n_\r\n,1.5\r\n#t\r\n(123456789012345678901\r\n'],
  ['RESP3 map', '%2\r\n+a\r\n:1\r\n+b\r\n*1\r\n:2\r\n'],
  ['RESP3 set and verbatim', '~2\r\n=8\r\ntxt:abcd\r\n+x\r\n'],
  ['RESP3 attribute before its value', '|1\r\n+ttl\r\n:3\r\n$1\r\nv\r\n'],
  ['RESP3 push', '>3\r\n+message\r\n+ch\r\n+hi\r\n'],
  ['RESP3 bulk error', '!3\r\nERR\r\n'],
];

describe('scanReply', () => {
  for (const [what, text] of replies) {
    test(`${what}: finds the end, and every prefix is incomplete`, () => {
      const b = Buffer.from(`${text}+NEXT\r\n`);
      assert.equal(scanReply(b, 0), text.length);
      for (let i = 0; i < text.length; i++) {
        const r = scanReply(b.subarray(0, i), 0);
        assert.ok(r < 0 && -r > i, `prefix ${i}: ${r}`);
      }
    });
  }

  test('an incomplete bulk reports exactly the bytes needed', () => {
    assert.equal(scanReply(Buffer.from('$10\r\nabc'), 0), -(5 + 12));
  });

  test('an incomplete array reports a bound covering the elements still to come', () => {
    assert.equal(scanReply(Buffer.from('*1000\r\n$1\r\na\r\n'), 0), -(14 + 999 * 3));
    assert.equal(scanReply(Buffer.from('*3\r\n$10\r\nabc'), 0), -(4 + 5 + 12 + 2 * 3));
  });

  test('an unknown type byte throws', () => {
    assert.throws(() => scanReply(Buffer.from('?\r\n'), 0), ReplySyntaxError);
  });
});

describe('decodeReply', () => {
  test('decodes nested values, errors as data, and maps', () => {
    assert.deepEqual(decodeReply(Buffer.from('*3\r\n$6\r\nmaster\r\n:1234\r\n*0\r\n')), ['master', 1234, []]);
    const e = decodeReply(Buffer.from('-ERR nope\r\n'));
    assert.ok(e instanceof RespError && e.message === 'ERR nope');
    const m = decodeReply(Buffer.from('%1\r\n+k\r\n:1\r\n'));
    assert.ok(m instanceof Map && m.get('k') === 1);
  });
});
