import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { combinedParser, parseNginxAccess, parseNginxAccessToJson } from './nginx-access.js';
import { nginxErrorParser, nginxParser } from './nginx-error.js';
import { jsonParser, parserFor, regexParser } from './parsers.js';
import { ParseFailure } from './types.js';

// Lines nginx really wrote in the seed check (seed-check.md, pattern 1).
const SEED_LINE =
  '127.0.0.1 - - [25/Nov/2026:07:56:33 +0000] "GET / HTTP/1.1" 200 30 "http://ref.example/" "seedcheck-curl/1.0"';

describe("nginx access (combined = the seed's detailed format)", () => {
  test('parses the seed line into typed fields with RFC 3339 time', () => {
    assert.deepEqual(combinedParser.parse(SEED_LINE), {
      remote_addr: '127.0.0.1',
      remote_user: null,
      time: '2026-11-25T07:56:33+00:00',
      method: 'GET',
      path: '/',
      protocol: 'HTTP/1.1',
      status: 200,
      body_bytes_sent: 30,
      referer: 'http://ref.example/',
      user_agent: 'seedcheck-curl/1.0',
    });
  });

  test('the JSON fast path serialises exactly the same fields', () => {
    const lines = [
      SEED_LINE,
      '10.1.2.3 - alice [01/Jan/2026:00:00:00 -0530] "POST /a?b=c HTTP/2.0" 404 0 "-" "-"',
      '::1 - - [25/Nov/2026:07:56:33 +0000] "\\x16\\x03\\x01" 400 157 "-" "-"',
      '1.2.3.4 - - [25/Nov/2026:07:56:33 +0000] "GET /caf\u00e9 HTTP/1.1" 200 1 "-" "ua \\x22q\\x22 \u0001"',
    ];
    for (const line of lines) {
      const json = parseNginxAccessToJson(line, true);
      assert.equal(typeof json, 'string', line);
      assert.deepEqual(JSON.parse(`${json}}`), parseNginxAccess(line, true), line);
    }
  });

  test('a request that is not METHOD PATH PROTOCOL is kept whole', () => {
    const f = combinedParser.parse('::1 - - [25/Nov/2026:07:56:33 +0000] "-" 400 0 "-" "-"');
    assert.ok(!(f instanceof ParseFailure));
    assert.equal(f.request, '-');
    assert.equal(f.method, undefined);
  });

  test('time zone offsets are kept', () => {
    const f = combinedParser.parse(SEED_LINE.replace('+0000', '-0530'));
    assert.ok(!(f instanceof ParseFailure));
    assert.equal(f.time, '2026-11-25T07:56:33-05:30');
  });

  test('combined rejects trailing fields; nginx accepts main\'s "$http_x_forwarded_for"', () => {
    const main = `${SEED_LINE} "10.0.0.9"`;
    assert.ok(combinedParser.parse(main) instanceof ParseFailure);
    const f = nginxParser.parse(main);
    assert.ok(!(f instanceof ParseFailure));
    assert.equal(f.http_x_forwarded_for, '10.0.0.9');
  });

  test('malformed lines fail with a reason naming the field', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /remote_addr/],
      ['1.2.3.4 - - [bad time] "GET / HTTP/1.1" 200 1 "-" "-"', /time_local/],
      ['1.2.3.4 - - [25/Nov/2026:07:56:33 +0000] "GET / HTTP/1.1" 2x0 1 "-" "-"', /status/],
      ['1.2.3.4 - - [25/Nov/2026:07:56:33 +0000] "GET / HTTP/1.1" 200 -1 "-" "-"', /body_bytes_sent/],
      ['1.2.3.4 - - [25/Nov/2026:07:56:33 +0000] "GET / HTTP/1.1" 200 1 "-" "unterminated', /user_agent/],
      ['1.2.3.4 - - [25/Xyz/2026:07:56:33 +0000] "GET / HTTP/1.1" 200 1 "-" "-"', /time_local/],
    ];
    for (const [line, reason] of cases) {
      const r = combinedParser.parse(line);
      assert.ok(r instanceof ParseFailure, line);
      assert.match(r.reason, reason, line);
    }
  });

  test('fuzz: random and mutated lines never throw, and both paths agree', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = ' -[]":/0123456789aGET HTTP\\\u0000\u00ff\ud800';
    for (let i = 0; i < 5000; i++) {
      let line: string;
      if (i % 2 === 0) {
        line = SEED_LINE.split('')
          .map((c) => (rand(20) === 0 ? alphabet[rand(alphabet.length)] : c))
          .join('');
      } else {
        line = Array.from({ length: rand(120) }, () => alphabet[rand(alphabet.length)]).join('');
      }
      const obj = nginxParser.parse(line);
      const json = nginxParser.parseToJson!(line);
      if (obj instanceof ParseFailure) assert.ok(json instanceof ParseFailure, line);
      else assert.deepEqual(JSON.parse(`${json as string}}`), obj, line);
    }
  });
});

describe('nginx error log', () => {
  const LINE =
    '2026/11/25 07:56:33 [error] 31#31: *5 open() "/usr/share/nginx/html/x" failed (2: No such file or directory), ' +
    'client: 127.0.0.1, server: localhost, request: "GET /x HTTP/1.1", host: "localhost:28080"';

  test('splits level, pid, connection, message and the context nginx appends', () => {
    const f = nginxErrorParser.parse(LINE);
    assert.ok(!(f instanceof ParseFailure));
    assert.equal(f.level, 'error');
    assert.equal(f.pid, 31);
    assert.equal(f.connection, 5);
    assert.equal(f.message, 'open() "/usr/share/nginx/html/x" failed (2: No such file or directory)');
    assert.equal(f.client, '127.0.0.1');
    assert.equal(f.request, 'GET /x HTTP/1.1');
    assert.equal(f.host, 'localhost:28080');
    assert.match(String(f.time), /^2026-11-25T07:56:33[+-]\d{2}:\d{2}$/);
  });

  test('a line without connection or context', () => {
    const f = nginxErrorParser.parse('2026/11/25 07:56:33 [notice] 1#1: start worker processes');
    assert.ok(!(f instanceof ParseFailure));
    assert.equal(f.message, 'start worker processes');
    assert.equal(f.connection, undefined);
  });

  test('the nginx parser takes error-log lines too, on both paths', () => {
    const f = nginxParser.parse(LINE);
    assert.ok(!(f instanceof ParseFailure));
    assert.equal(f.level, 'error');
    assert.deepEqual(JSON.parse(`${nginxParser.parseToJson!(LINE) as string}}`), f);
  });

  test('an impossible date fails', () => {
    assert.ok(nginxErrorParser.parse('2026/02/31 07:56:33 [error] 1#1: x') instanceof ParseFailure);
  });
});

describe('json and regex parsers', () => {
  test('json objects become fields; anything else fails', () => {
    assert.deepEqual(jsonParser.parse('{"a":1,"b":"x"}'), { a: 1, b: 'x' });
    assert.ok(jsonParser.parse('[1]') instanceof ParseFailure);
    assert.ok(jsonParser.parse('{"a":') instanceof ParseFailure);
    assert.ok(jsonParser.parse('null') instanceof ParseFailure);
  });

  test('regex named groups become fields', () => {
    const p = regexParser('^(?<level>[A-Z]+) (?<msg>.*)$');
    assert.deepEqual(p.parse('WARN disk low'), { level: 'WARN', msg: 'disk low' });
    assert.ok(p.parse('lowercase') instanceof ParseFailure);
  });

  test('parserFor maps every spec', () => {
    assert.equal(parserFor({ kind: 'nginx' }).name, 'nginx');
    assert.equal(parserFor({ kind: 'combined' }).name, 'combined');
    assert.equal(parserFor({ kind: 'nginx_error' }).name, 'nginx_error');
    assert.equal(parserFor({ kind: 'json' }).name, 'json');
    assert.deepEqual(parserFor({ kind: 'none' }).parse('x'), { message: 'x' });
    assert.equal(parserFor({ kind: 'regex', pattern: '(?<a>.)' }).name, 'regex');
  });
});
