/**
 * Prometheus metrics, read from Stats when scraped. Names follow Prometheus conventions
 * (`_total` counters, base units); the process metrics (RSS, CPU, heap) come from prom-client.
 */
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Stats } from './stats.js';

type Reader = (s: Stats) => number;
type OutputReader = (o: ReturnType<Stats['output']>) => number;

const GLOBAL_COUNTERS: ReadonlyArray<readonly [string, string, Reader]> = [
  ['log_shipper_lines_read_total', 'Lines read from files.', (s) => s.linesRead],
  ['log_shipper_bytes_read_total', 'Bytes read from files.', (s) => s.bytesRead],
  ['log_shipper_parse_errors_total', 'Lines shipped raw because they did not parse.', (s) => s.parseErrors],
  [
    'log_shipper_lines_truncated_total',
    'Lines longer than max_line_bytes, shipped cut.',
    (s) => s.truncatedLines,
  ],
  ['log_shipper_invalid_utf8_total', 'Lines with bytes that are not UTF-8.', (s) => s.invalidUtf8],
  ['log_shipper_file_truncations_total', 'Files found truncated (copytruncate).', (s) => s.truncations],
  [
    'log_shipper_recovered_bytes_total',
    'Bytes read from rotated copies after truncation.',
    (s) => s.recoveredBytes,
  ],
];

const GLOBAL_GAUGES: ReadonlyArray<readonly [string, string, Reader]> = [
  ['log_shipper_files_followed', 'Files open for reading.', (s) => s.filesFollowed],
  ['log_shipper_files_unreadable', 'Matched files that could not be opened.', (s) => s.filesUnreadable],
  ['log_shipper_lag_bytes', 'Bytes written to followed files and not read yet.', (s) => s.lagBytes],
  [
    'log_shipper_lag_seconds',
    'Age of the oldest line read but not yet safely shipped.',
    (s) => (s.oldestUnshippedAt === null ? 0 : (Date.now() - s.oldestUnshippedAt) / 1000),
  ],
];

const OUTPUT_COUNTERS: ReadonlyArray<readonly [string, string, OutputReader]> = [
  ['log_shipper_records_shipped_total', 'Records the output accepted.', (o) => o.shipped],
  ['log_shipper_records_rejected_total', 'Records the output refused for good.', (o) => o.rejected],
  ['log_shipper_retries_total', 'Failed delivery attempts that will be retried.', (o) => o.retries],
];

const OUTPUT_GAUGES: ReadonlyArray<readonly [string, string, OutputReader]> = [
  ['log_shipper_buffered_batches', 'Batches in the on-disk buffer.', (o) => o.diskBatches],
  ['log_shipper_buffered_bytes', 'Bytes in the on-disk buffer.', (o) => o.diskBytes],
  ['log_shipper_memory_batches', 'Batches queued in memory.', (o) => o.memoryBatches],
  ['log_shipper_output_up', '1 when the last delivery attempt succeeded.', (o) => (o.up ? 1 : 0)],
];

export function createRegistry(stats: Stats): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const [name, help, read] of GLOBAL_COUNTERS) {
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read(stats));
      },
    });
  }
  for (const [name, help, read] of GLOBAL_GAUGES) {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(stats));
      },
    });
  }
  for (const [name, help, read] of OUTPUT_COUNTERS) {
    new Counter({
      name,
      help,
      labelNames: ['output'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [output, o] of stats.outputs) this.inc({ output }, read(o));
      },
    });
  }
  for (const [name, help, read] of OUTPUT_GAUGES) {
    new Gauge({
      name,
      help,
      labelNames: ['output'],
      registers: [registry],
      collect() {
        for (const [output, o] of stats.outputs) this.set({ output }, read(o));
      },
    });
  }
  return registry;
}
