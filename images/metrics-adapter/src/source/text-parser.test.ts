import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { parseBody } from './parse-body.js';
import { MAX_LINE_LENGTH, parseLine, parseTextStats } from './text-parser.js';

describe('parseLine', () => {
  const ok: Array<[string, string, Array<[string, string]>, string]> = [
    ['requests_total 1241', 'requests_total', [], '1241'],
    ['last_error: none', 'last_error', [], 'none'],
    ['last_error : connection refused', 'last_error', [], 'connection refused'],
    ['version 1.0.3', 'version', [], '1.0.3'],
    ['cache.hits-total 3', 'cache.hits-total', [], '3'],
    [
      'http{code="200",path="/a"} 5',
      'http',
      [
        ['code', '200'],
        ['path', '/a'],
      ],
      '5',
    ],
    ['http{ code = "2\\"0\\\\0\\n" , } 5', 'http', [['code', '2"0\\0\n']], '5'],
    ['http{}: 7', 'http', [], '7'],
    ['x\t9', 'x', [], '9'],
  ];
  for (const [line, name, labels, value] of ok) {
    test(`parses ${JSON.stringify(line)}`, () => {
      assert.deepEqual(parseLine(line), {
        name,
        labels,
        value,
        head: line.slice(0, line.length - value.length),
      });
    });
  }
  const bad: Array<[string, string]> = [
    ['!!garbage', 'syntax'],
    ['123 4', 'syntax'],
    ['foo!bar 1', 'syntax'],
    ['lonely', 'no_value'],
    ['name:', 'no_value'],
    ['http{code="200" 5', 'bad_labels'],
    ['http{code=200} 5', 'bad_labels'],
    ['http{code="\\q"} 5', 'bad_labels'],
    ['http{"x"="1"} 5', 'bad_labels'],
  ];
  for (const [line, reason] of bad) {
    test(`rejects ${JSON.stringify(line)} as ${reason}`, () => assert.equal(parseLine(line), reason));
  }
});

describe('parseTextStats', () => {
  test('the seed body: every line parsed, comments skipped', () => {
    const body =
      '# legacy stats v1\nuptime 3600\nversion 1.0.3\nrequests_total 1241\nresponse_time 0.25\n\nlast_error: none\n';
    const parsed = parseTextStats(body);
    assert.deepEqual(
      parsed.samples.map((s) => s.name),
      ['uptime', 'version', 'requests_total', 'response_time', 'last_error'],
    );
    assert.equal(parsed.unparsed.size, 0);
  });
  test('counts bad lines by reason and keeps the good ones', () => {
    const parsed = parseTextStats(`a 1\n!!\n${'x'.repeat(MAX_LINE_LENGTH + 1)} 1\nb\nc{ 1\nd 2\r\n`);
    assert.deepEqual(
      parsed.samples.map((s) => [s.name, s.value]),
      [
        ['a', '1'],
        ['d', '2'],
      ],
    );
    assert.deepEqual(Object.fromEntries(parsed.unparsed), {
      syntax: 1,
      line_too_long: 1,
      no_value: 1,
      bad_labels: 1,
    });
  });
});

describe('parseBody', () => {
  test('auto picks JSON for an object body and text otherwise', () => {
    assert.equal(parseBody(' {"a":1}', 'auto').format, 'json');
    assert.equal(parseBody('a 1', 'auto').format, 'text');
    assert.equal(parseBody('a 1', 'json').fatal?.startsWith('invalid JSON'), true);
  });
  test('binary bodies are rejected whole', () => {
    assert.match(parseBody('a 1\u0000\u0001', 'auto').fatal ?? '', /NUL/);
  });
  test('fuzz: random bytes and mangled stats never throw (bounded: 2000 inputs)', () => {
    const seed = 'requests_total 1241\nhttp{code="200"} 5\nlast_error: none\n{"a":{"b":[1,true,"x",null]}}\n';
    for (let i = 0; i < 2000; i++) {
      const noise = randomBytes(1 + (i % 200)).toString('latin1');
      const cut = i % seed.length;
      const input = i % 2 === 0 ? noise : seed.slice(0, cut) + noise + seed.slice(cut);
      for (const format of ['auto', 'text', 'json'] as const) {
        const parsed = parseBody(input, format);
        assert.ok(Array.isArray(parsed.samples));
      }
    }
  });
});
