import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { batchFromRecords, batchRecords } from '../pipeline/batch.js';
import { bulkFailures, encodeBulk, encodeLoki, encodeNdjson } from './http-encoders.js';
import { formatMessage, frame, headerField, severityOf } from './rfc5424.js';

const batch = batchFromRecords(
  1,
  ['{"a":1}', '{"b":"x\\ny"}', '{"a":1}'],
  [1700000000000, 1700000000000, 1700000000001],
);

describe('HTTP encoders', () => {
  test('NDJSON is the batch body', () => {
    assert.equal(encodeNdjson(batch).body.toString(), '{"a":1}\n{"b":"x\\ny"}\n{"a":1}\n');
    assert.deepEqual(batchRecords(batch), ['{"a":1}', '{"b":"x\\ny"}', '{"a":1}']);
  });

  test('Loki push: one stream, string nanosecond timestamps, unique even for equal lines', () => {
    const doc = JSON.parse(encodeLoki(batch, { job: 'nginx' }).body.toString()) as {
      streams: Array<{ stream: Record<string, string>; values: Array<[string, string]> }>;
    };
    assert.deepEqual(doc.streams[0]!.stream, { job: 'nginx' });
    const values = doc.streams[0]!.values;
    assert.deepEqual(
      values.map((v) => v[1]),
      batchRecords(batch),
    );
    assert.deepEqual(
      values.map((v) => v[0]),
      ['1700000000000000000', '1700000000000000001', '1700000000001000002'],
    );
    assert.equal(new Set(values.map((v) => v.join())).size, 3);
  });

  test('Elasticsearch bulk: action line before each source, final newline', () => {
    const lines = encodeBulk(batch, 'nginx').body.toString().split('\n');
    assert.equal(lines.length, 7);
    assert.equal(lines[6], '');
    assert.deepEqual(JSON.parse(lines[0]!), { create: { _index: 'nginx' } });
    assert.equal(lines[1], '{"a":1}');
  });

  test('bulk responses: retry 429/5xx items, count other 4xx as rejected, ignore success', () => {
    assert.deepEqual(bulkFailures('{"errors":false,"items":[]}'), { retry: [], rejected: 0 });
    const r = bulkFailures(
      JSON.stringify({
        errors: true,
        items: [
          { create: { status: 201 } },
          { create: { status: 429, error: { type: 'es_rejected_execution_exception' } } },
          { create: { status: 400, error: { type: 'mapper_parsing_exception' } } },
          { create: { status: 503 } },
        ],
      }),
    );
    assert.deepEqual(r.retry, [1, 3]);
    assert.equal(r.rejected, 1);
    assert.match(r.firstError ?? '', /es_rejected/);
    assert.deepEqual(bulkFailures('not json'), { retry: [], rejected: 0 });
  });
});

describe('RFC 5424', () => {
  test('message layout and octet-counting frame', () => {
    const id = { facility: 16, hostname: 'web-1', appName: 'log-shipper', procId: '7' };
    const msg = formatMessage(id, Date.UTC(2026, 10, 25, 7, 56, 33, 5), '{"status":200}');
    assert.equal(msg, '<134>1 2026-11-25T07:56:33.005Z web-1 log-shipper 7 - - {"status":200}');
    assert.equal(frame('héllo'), '6 héllo');
  });

  test('severity follows the record', () => {
    assert.equal(severityOf('{"status":503,"x":1}'), 3);
    assert.equal(severityOf('{"status":404}'), 4);
    assert.equal(severityOf('{"status":200}'), 6);
    assert.equal(severityOf('{"level":"crit","message":"x"}'), 2);
    assert.equal(severityOf('{"message":"x"}'), 6);
  });

  test('header fields are printable ASCII, bounded, "-" when empty', () => {
    assert.equal(headerField('a b\u00e9c', 48), 'abc');
    assert.equal(headerField('', 48), '-');
    assert.equal(headerField('x'.repeat(300), 255).length, 255);
  });
});
