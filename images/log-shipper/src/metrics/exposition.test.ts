import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFamily, formatValue, render, type Sample } from './exposition.js';
import { createRegistry } from './registry.js';
import { Stats } from './stats.js';

test('render writes HELP, TYPE and samples, escaping help text and label values', () => {
  const text = render([
    { name: 'a_total', help: 'Lines\\read\nhere.', type: 'counter', collect: () => [{ value: 3 }] },
    {
      name: 'b',
      help: 'B.',
      type: 'gauge',
      collect: (): Sample[] => [
        { labels: { output: 'x"y\\z\nw' }, value: 1.5 },
        { labels: { output: 'n', other: 'm' }, value: Number.POSITIVE_INFINITY },
      ],
    },
    { name: 'c', help: 'Empty.', type: 'gauge', collect: () => [] },
  ]);
  assert.equal(
    text,
    '# HELP a_total Lines\\\\read\\nhere.\n# TYPE a_total counter\na_total 3\n' +
      '# HELP b B.\n# TYPE b gauge\nb{output="x\\"y\\\\z\\nw"} 1.5\nb{output="n",other="m"} +Inf\n' +
      '# HELP c Empty.\n# TYPE c gauge\n',
  );
});

test('names Prometheus would reject fail early, naming the name', () => {
  assert.throws(
    () => checkFamily({ name: 'bad-name', help: '', type: 'gauge', collect: () => [] }),
    /invalid metric name "bad-name"/,
  );
  assert.throws(
    () =>
      render([{ name: 'g', help: '', type: 'gauge', collect: () => [{ labels: { '1x': 'v' }, value: 1 }] }]),
    /invalid label name "1x"/,
  );
  assert.equal(formatValue(Number.NaN), 'NaN');
  assert.equal(formatValue(Number.NEGATIVE_INFINITY), '-Inf');
  assert.equal(formatValue(1e21), '1e+21');
});

test('the registry reads Stats at scrape time and adds the process metrics', () => {
  const stats = new Stats();
  const registry = createRegistry(stats);
  stats.linesRead = 42;
  const out = stats.output('sink-a');
  out.shipped = 40;
  out.up = false;
  const text = registry.metrics();
  assert.match(registry.contentType, /^text\/plain; version=0\.0\.4/);
  assert.match(text, /^log_shipper_lines_read_total 42$/m);
  assert.match(text, /^log_shipper_records_shipped_total\{output="sink-a"\} 40$/m);
  assert.match(text, /^log_shipper_output_up\{output="sink-a"\} 0$/m);
  assert.match(text, /^# TYPE log_shipper_lag_seconds gauge$/m);
  const rss = Number(/^process_resident_memory_bytes (\d+)$/m.exec(text)?.[1]);
  assert.ok(rss > 10 * 2 ** 20, `process_resident_memory_bytes ${rss}`);
  assert.ok(Number(/^process_open_fds (\d+)$/m.exec(text)?.[1]) >= 3);
  assert.ok(Number(/^process_cpu_seconds_total (\S+)$/m.exec(text)?.[1]) > 0);
  assert.match(text, new RegExp(`^nodejs_version_info\\{version="${process.version}",major=`, 'm'));
  stats.linesRead = 43;
  assert.match(registry.metrics(), /^log_shipper_lines_read_total 43$/m);
});
