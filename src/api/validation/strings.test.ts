import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isRelaxedEnvVarName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
} from './strings.js';

// Upstream's strings, written out in full: a learner reads exactly these.
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QNAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const CONFIG_KEY_MSG =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

describe('DNS names', () => {
  const table: [string, (v: string) => string[], string, string[]][] = [
    ['label ok', isDNS1123Label, 'my-name', []],
    ['label upper case', isDNS1123Label, 'My_Name', [LABEL_MSG]],
    ['label with dots', isDNS1123Label, 'a.b', ['must not contain dots']],
    ['label too long', isDNS1123Label, 'a'.repeat(64), ['must be no more than 63 characters']],
    ['label empty', isDNS1123Label, '', [LABEL_MSG]],
    ['subdomain ok', isDNS1123Subdomain, 'example.com', []],
    ['subdomain bad', isDNS1123Subdomain, 'Example.com', [SUBDOMAIN_MSG]],
    ['subdomain too long', isDNS1123Subdomain, 'a'.repeat(254), ['must be no more than 253 characters']],
    ['1035 ok', isDNS1035Label, 'web-1', []],
    ['1035 leading digit', isDNS1035Label, '1web', [DNS1035_MSG]],
  ];
  for (const [name, fn, value, want] of table) test(name, () => assert.deepEqual(fn(value), want));
});

describe('qualified names and label values', () => {
  test('plain and prefixed keys', () => {
    assert.deepEqual(isQualifiedName('app'), []);
    assert.deepEqual(isQualifiedName('example.com/app'), []);
    assert.deepEqual(isQualifiedName('-app'), [QNAME_PART]);
    assert.deepEqual(isQualifiedName('/app'), ['prefix part must be non-empty']);
    assert.deepEqual(isQualifiedName('a/'), ['name part must be non-empty', QNAME_PART]);
    assert.equal(isQualifiedName('a/b/c').length, 1);
    assert.match(
      isQualifiedName('a/b/c')[0]!,
      /^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/,
    );
    assert.deepEqual(isQualifiedName(`${'a'.repeat(64)}`), ['name part must be no more than 63 characters']);
  });
  test('label values', () => {
    assert.deepEqual(isValidLabelValue(''), []);
    assert.deepEqual(isValidLabelValue('v1.2_x'), []);
    assert.deepEqual(isValidLabelValue('has space'), [LABEL_VALUE_MSG]);
    assert.deepEqual(isValidLabelValue('x'.repeat(64)), ['must be no more than 63 characters']);
  });
});

describe('keys, env names and ports', () => {
  test('config keys', () => {
    assert.deepEqual(isConfigMapKey('game.properties'), []);
    assert.deepEqual(isConfigMapKey('a b'), [CONFIG_KEY_MSG]);
    assert.deepEqual(isConfigMapKey('..'), ["must not be '..'"]);
    assert.deepEqual(isConfigMapKey('..x'), ["must not start with '..'"]);
  });
  test('relaxed env names (1.32 default)', () => {
    assert.deepEqual(isRelaxedEnvVarName('1_WEIRD-but.ok'), []);
    assert.deepEqual(isRelaxedEnvVarName('A=B'), [
      "a valid environment variable name must consist only of printable ASCII characters other than '='",
    ]);
    assert.deepEqual(isRelaxedEnvVarName(''), ['environment variable name must be non-empty']);
  });
  test('port numbers and names', () => {
    assert.deepEqual(isValidPortNum(80), []);
    assert.deepEqual(isValidPortNum(0), ['must be between 1 and 65535, inclusive']);
    assert.deepEqual(isValidPortNum(65536), ['must be between 1 and 65535, inclusive']);
    assert.deepEqual(isValidPortName('http'), []);
    assert.deepEqual(isValidPortName('8080'), ['must contain at least one letter (a-z)']);
    assert.deepEqual(isValidPortName('a--b'), [
      'must contain consecutive hyphens'.replace('must', 'must not'),
    ]);
    assert.deepEqual(isValidPortName('-http'), ['must not begin or end with a hyphen']);
    assert.deepEqual(isValidPortName('http_port_name_x'), [
      'must be no more than 15 characters',
      'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ]);
  });
});
