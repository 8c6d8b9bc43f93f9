import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineColumn, splitStatements, statementAt } from './sql-split.js';

test('splits on semicolons outside quotes, dollar bodies and comments', () => {
  const sql = [
    "CREATE TABLE t (a text default 'x;y');",
    '-- a comment; with a semicolon',
    'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;',
    "/* block; /* nested; */ */ INSERT INTO t VALUES (E'it\\'s;');",
    '',
  ].join('\n');
  const parts = splitStatements(sql).map((s) => s.text);
  assert.equal(parts.length, 3);
  assert.match(parts[0] as string, /^CREATE TABLE/);
  assert.match(parts[1] as string, /\$body\$ SELECT 1; \$body\$/);
  assert.match(parts[2] as string, /INSERT INTO t VALUES \(E'it\\'s;'\)$/);
});

test('finds the statement and line/column of a server error position', () => {
  const sql = 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\nSELEC 1;\n';
  const pos = sql.indexOf('SELEC') + 1;
  const stmts = splitStatements(sql);
  assert.equal(statementAt(stmts, pos)?.index, 3);
  assert.equal(statementAt(stmts, pos)?.text, 'SELEC 1');
  assert.deepEqual(lineColumn(sql, pos), { line: 3, column: 1 });
  assert.equal(lineColumn(sql, 10_000), undefined);
});

test('positions count characters, not bytes', () => {
  const sql = "SELECT 'é';\nBAD";
  assert.deepEqual(lineColumn(sql, [...sql].indexOf('B') + 1), { line: 2, column: 1 });
});
