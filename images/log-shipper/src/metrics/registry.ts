/**
 * Prometheus metrics, read from Stats when scraped. Names follow Prometheus conventions
 * (`_total` counters, base units); the process metrics (RSS, CPU, heap, fds) are appended from
 * process-metrics.ts. Rendering is exposition.ts (no client library: see why there).
 */
import { CONTENT_TYPE, checkFamily, type MetricFamily, type MetricType, render } from './exposition.js';
import { PROCESS_FAMILIES } from './process-metrics.js';
import type { OutputStats, Stats } from './stats.js';

type Reader = (s: Stats) => number;
type OutputReader = (o: OutputStats) => number;

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

export interface MetricsRegistry {
  readonly contentType: string;
  /** The whole exposition, read from Stats and the process now. */
  metrics(): string;
}

export function createRegistry(stats: Stats): MetricsRegistry {
  const families: MetricFamily[] = [];
  const global =
    (type: MetricType) =>
    ([name, help, read]: readonly [string, string, Reader]) =>
      families.push(checkFamily({ name, help, type, collect: () => [{ value: read(stats) }] }));
  const perOutput =
    (type: MetricType) =>
    ([name, help, read]: readonly [string, string, OutputReader]) =>
      families.push(
        checkFamily({
          name,
          help,
          type,
          collect: () => [...stats.outputs].map(([output, o]) => ({ labels: { output }, value: read(o) })),
        }),
      );
  GLOBAL_COUNTERS.forEach(global('counter'));
  GLOBAL_GAUGES.forEach(global('gauge'));
  OUTPUT_COUNTERS.forEach(perOutput('counter'));
  OUTPUT_GAUGES.forEach(perOutput('gauge'));
  families.push(...PROCESS_FAMILIES);
  return { contentType: CONTENT_TYPE, metrics: () => render(families) };
}
