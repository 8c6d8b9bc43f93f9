import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeReply } from '../resp/decode.js';
import { CommandTable } from './command-table.js';
import type { RouteKind } from './route-kind.js';

const args = (...a: string[]): Buffer[] => a.map((x) => Buffer.from(x));

describe('CommandTable.classify', () => {
  const table = CommandTable.builtin();
  const cases: [string[], RouteKind][] = [
    [['GET', 'k'], 'read'],
    [['SET', 'k', 'v'], 'write'],
    [['EXPIRE', 'k', '1'], 'write'],
    [['LPOP', 'l'], 'write'],
    [['GETDEL', 'k'], 'write'],
    [['SOMEMODULE.CMD', 'k'], 'write'],
    [['PFCOUNT', 'h'], 'read'],
    [['EVAL', 's', '0'], 'write'],
    [['EVAL_RO', 's', '0'], 'read'],
    [['EVALSHA_RO', 's', '0'], 'read'],
    [['PING'], 'master'],
    [['INFO'], 'master'],
    [['MULTI'], 'tx-start'],
    [['EXEC'], 'tx-end'],
    [['DISCARD'], 'tx-end'],
    [['WATCH', 'k'], 'watch'],
    [['SUBSCRIBE', 'c'], 'tunnel'],
    [['PSUBSCRIBE', 'c*'], 'tunnel'],
    [['BLPOP', 'q', '0'], 'blocking'],
    [['XREAD', 'STREAMS', 's', '0'], 'read'],
    [['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'], 'blocking'],
    [['SELECT', '1'], 'state'],
    [['CLIENT', 'SETNAME', 'x'], 'state'],
    [['CLIENT', 'SETINFO', 'LIB-NAME', 'x'], 'local-ok'],
    [['CLIENT', 'TRACKING', 'on'], 'reject'],
    [['CLIENT', 'GETNAME'], 'private'],
    [['SCRIPT', 'LOAD', 'return 1'], 'script-load'],
    [['OBJECT', 'ENCODING', 'k'], 'read'],
    [['CONFIG', 'SET', 'x', 'y'], 'write'],
  ];
  for (const [a, kind] of cases) {
    test(`${a.join(' ')} -> ${kind}`, () =>
      assert.equal(table.classify(a[0]!.toLowerCase(), args(...a)), kind));
  }
});

describe('CommandTable.fromCommandReply', () => {
  // Rows in the shape Redis 7 returns: [name, arity, flags, first, last, step, acl, tips, keyspecs, subcommands]
  const reply = Buffer.from(
    '*3\r\n' +
      '*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*0\r\n*0\r\n*0\r\n*0\r\n' +
      '*10\r\n$7\r\npfcount\r\n:-2\r\n*2\r\n+readonly\r\n+may_replicate\r\n:1\r\n:-1\r\n:1\r\n*0\r\n*0\r\n*0\r\n*0\r\n' +
      '*10\r\n$6\r\nconfig\r\n:-2\r\n*0\r\n:0\r\n:0\r\n:0\r\n*0\r\n*0\r\n*0\r\n' +
      '*1\r\n*10\r\n$10\r\nconfig|get\r\n:-3\r\n*2\r\n+admin\r\n+noscript\r\n:0\r\n:0\r\n:0\r\n*0\r\n*0\r\n*0\r\n*0\r\n',
  );

  test('builds rows from flags, including subcommands', () => {
    const t = CommandTable.fromCommandReply(decodeReply(reply));
    assert.equal(t.source, 'COMMAND');
    assert.equal(t.classify('get', args('GET', 'k')), 'read');
    assert.equal(t.classify('pfcount', args('PFCOUNT', 'k')), 'read');
    assert.equal(t.classify('config', args('CONFIG', 'GET', 'x')), 'master');
    assert.equal(t.classify('set', args('SET', 'k', 'v')), 'write', 'absent rows are writes');
  });

  test('rejects a reply of the wrong shape', () => {
    assert.throws(
      () => CommandTable.fromCommandReply(decodeReply(Buffer.from('*1\r\n:1\r\n'))),
      /COMMAND row/,
    );
    assert.throws(
      () => CommandTable.fromCommandReply(decodeReply(Buffer.from('-ERR no\r\n'))),
      /COMMAND failed/,
    );
  });
});
