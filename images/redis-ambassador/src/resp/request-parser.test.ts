import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProtocolError } from '../errors.js';
import { encodeCommand, frameRequest, type ParsedCommand, parseRequest } from './request-parser.js';

const limits = { maxBulkBytes: 1024, maxArgs: 16 };
const parse = (s: string | Buffer, offset = 0) =>
  parseRequest(Buffer.isBuffer(s) ? s : Buffer.from(s), offset, limits);
const whole = (s: string | Buffer): ParsedCommand => {
  const r = parse(s);
  assert.ok(r !== null && 'args' in r, `expected a command from ${JSON.stringify(s)}`);
  return r;
};

describe('parseRequest', () => {
  test('multibulk command: args, lower-case name, raw frame, next offset', () => {
    const frame = '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nva\r\nl\r\n';
    const r = whole(`${frame}*1\r\n$4\r\nPING\r\n`);
    assert.equal(r.name, 'set');
    assert.deepEqual(r.args.map(String), ['SET', 'k', 'va\r\nl']);
    assert.equal(r.raw.toString(), frame);
    assert.equal(r.next, frame.length);
    assert.equal(r.inline, false);
    const second = parse(`${frame}*1\r\n$4\r\nPING\r\n`, r.next);
    assert.ok(second && 'args' in second);
    assert.equal(second.name, 'ping');
  });

  test('every strict prefix of a frame is incomplete, never an error', () => {
    const frame = encodeCommand(['HSET', 'h', 'field', 'x'.repeat(100)]);
    for (let i = 0; i < frame.length; i++) {
      const r = parse(frame.subarray(0, i));
      assert.ok(r === null || !('args' in r), `prefix of ${i} bytes`);
    }
  });

  test('a partial large bulk reports the bytes needed', () => {
    const r = parse('*2\r\n$3\r\nGET\r\n$100\r\nabc');
    assert.ok(r !== null && 'minimumBytesNeeded' in r);
    assert.equal(r.minimumBytesNeeded, '*2\r\n$3\r\nGET\r\n$100\r\n'.length + 102);
  });

  test('inline commands, with quotes, re-encoded as RESP', () => {
    const r = whole('SET k "hello world"\r\n');
    assert.deepEqual(r.args.map(String), ['SET', 'k', 'hello world']);
    assert.equal(r.inline, true);
    assert.deepEqual(r.raw, encodeCommand(['SET', 'k', 'hello world']));
    assert.equal(whole('PING\n').name, 'ping');
  });

  test('inline arguments keep their bytes and are split as sdssplitargs splits them', () => {
    const bytes = whole(Buffer.from('SET k \xff\xfe\xa0x\r\n', 'latin1'));
    assert.deepEqual(
      bytes.args[2],
      Buffer.from([0xff, 0xfe, 0xa0, 0x78]),
      'not UTF-8 decoded, NBSP is no space',
    );
    assert.deepEqual(whole("SET k \"a\\x41\\n\" 'it\\'s'\r\n").args.map(String), [
      'SET',
      'k',
      'aA\n',
      "it's",
    ]);
    assert.deepEqual(whole('SET k\va x"y z"\r\n').args.map(String), ['SET', 'k\va', 'xy z']);
  });

  test('a multibulk still arriving reports a bound covering the arguments still to come', () => {
    const r = parse('*10\r\n$3\r\nSET\r\n');
    assert.ok(r !== null && 'minimumBytesNeeded' in r);
    assert.equal(r.minimumBytesNeeded, '*10\r\n$3\r\nSET\r\n'.length + 9 * 6);
    const frame = encodeCommand(['RPUSH', 'k', ...Array.from({ length: 14 }, (_, i) => `v${i}`)]);
    for (let i = 0; i < frame.length; i++) {
      const p = parse(frame.subarray(0, i));
      assert.ok(
        p === null || ('minimumBytesNeeded' in p && p.minimumBytesNeeded <= frame.length),
        `prefix ${i}`,
      );
    }
  });

  test('empty frames (*0, blank inline line) parse to no arguments', () => {
    assert.equal(whole('*0\r\n').args.length, 0);
    assert.equal(whole('\r\n').args.length, 0);
  });

  const bad: [string, string, RegExp][] = [
    ['a non-$ argument', '*1\r\n:5\r\n', /expected '\$', got ':'/],
    ['a non-numeric count', '*x\r\n', /invalid multibulk length/],
    ['too many arguments', '*17\r\n', /invalid multibulk length/],
    ['a negative bulk length', '*1\r\n$-1\r\n', /invalid bulk length/],
    ['an oversized bulk', '*1\r\n$1025\r\n', /invalid bulk length/],
    ['a bulk without CRLF', '*1\r\n$3\r\nGETxx', /not terminated by CRLF/],
    ['unbalanced quotes', 'SET "k\r\n', /unbalanced quotes/],
    ['a closing quote followed by a letter', 'SET "k"v 1\r\n', /unbalanced quotes/],
    ['a NUL byte in an inline command', 'SET k a\0b\r\n', /NUL byte in inline request/],
    // Redis refuses these too (string2ll); forwarded, they would close a shared backend connection.
    ['a bulk length with a leading zero', '*1\r\n$04\r\nPING\r\n', /invalid bulk length/],
    ['a bulk length of -0', '*1\r\n$-0\r\n\r\n', /invalid bulk length/],
    ['a multibulk count with a leading zero', '*01\r\n$4\r\nPING\r\n', /invalid multibulk length/],
    ['a multibulk count of -0', '*-0\r\n', /invalid multibulk length/],
  ];
  for (const [what, input, message] of bad) {
    test(`rejects ${what} with a Redis-style protocol error naming the byte`, () => {
      assert.throws(
        () => parse(input),
        (e: unknown) =>
          e instanceof ProtocolError && message.test(e.message) && /at byte \d+/.test(e.message),
      );
    });
  }

  test('fuzz: random bytes either parse, ask for more, or throw ProtocolError', () => {
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const alphabet = Buffer.from('*$\r\n0123456789-abcSETGET "\'\\ :');
    for (let i = 0; i < 20_000; i++) {
      const len = rand(40);
      const b = Buffer.alloc(len);
      for (let j = 0; j < len; j++) b[j] = rand(4) === 0 ? rand(256) : alphabet[rand(alphabet.length)]!;
      try {
        const r = parseRequest(b, 0, limits);
        if (r && 'args' in r) assert.ok(r.next <= b.length && r.next > 0);
      } catch (e) {
        assert.ok(
          e instanceof ProtocolError,
          `unexpected ${String(e)} for ${JSON.stringify(b.toString('latin1'))}`,
        );
      }
    }
  });
});

describe('frameRequest (fast path)', () => {
  const frame = (s: string | Buffer, offset = 0): [number, string] => {
    const out = { name: '' };
    const next = frameRequest(Buffer.isBuffer(s) ? s : Buffer.from(s), offset, limits, out);
    return [next, out.name];
  };

  test('agrees with parseRequest on well-formed commands (next offset and lower-case name)', () => {
    const cmds = [
      encodeCommand(['GET', 'k']),
      encodeCommand(['set', 'key', 'va\r\nl']),
      encodeCommand(['ZRANGEBYSCORE', 'z', '0', '1']),
      encodeCommand(['HsEt', 'h', 'f', 'x'.repeat(1000)]),
      encodeCommand(['PING']),
      encodeCommand(['GET', '']),
    ];
    const all = Buffer.concat(cmds);
    let offset = 0;
    for (const _ of cmds) {
      const r = parse(all, offset);
      assert.ok(r !== null && 'args' in r);
      assert.deepEqual(frame(all, offset), [r.next, r.name]);
      offset = r.next;
    }
    // The name cache returns the same string for differently cased names.
    assert.equal(frame('*1\r\n$3\r\nGeT\r\n')[1], 'get');
  });

  test('leaves everything else to parseRequest (-1): partial, inline, empty, malformed, oversized, non-ASCII', () => {
    const good = encodeCommand(['SET', 'k', 'value']);
    for (let i = 0; i < good.length; i++) assert.equal(frame(good.subarray(0, i))[0], -1, `prefix ${i}`);
    for (const bad of [
      'GET k\r\n',
      '*0\r\n',
      '*-1\r\n',
      '*1\r\n$0\r\n\r\n',
      '*1\r\n+3\r\nGET\r\n',
      '*1\r\n$3\r\nGETX\r\n',
      '*1\r\n$3\nGET\r\n',
      '*01\r\n$3\r\nGET\r\n',
      '*1\r\n$03\r\nGET\r\n',
      '*17\r\n',
      `*1\r\n$1025\r\n${'x'.repeat(1025)}\r\n`,
      Buffer.concat([Buffer.from('*1\r\n$3\r\n'), Buffer.from([0xc9, 0x41, 0x41]), Buffer.from('\r\n')]),
    ]) {
      assert.equal(frame(bad)[0], -1, JSON.stringify(String(bad)));
    }
  });
});
