/**
 * Plain counters the hot path bumps (a property increment, not a labelled metric lookup per
 * line). metrics/registry.ts exposes them to Prometheus at scrape time; /health reports from them.
 */

export interface OutputStats {
  shipped: number;
  rejected: number;
  retries: number;
  memoryBatches: number;
  diskBatches: number;
  diskBytes: number;
  /** false while the last attempt failed. */
  up: boolean;
  lastError: string | null;
}

export class Stats {
  linesRead = 0;
  bytesRead = 0;
  parseErrors = 0;
  truncatedLines = 0;
  invalidUtf8 = 0;
  truncations = 0;
  recoveredBytes = 0;
  filesFollowed = 0;
  filesUnreadable = 0;
  lagBytes = 0;
  /** Seconds since the oldest line not yet safely shipped was read; 0 when none. */
  oldestUnshippedAt: number | null = null;
  readonly outputs = new Map<string, OutputStats>();

  output(name: string): OutputStats {
    let o = this.outputs.get(name);
    if (!o) {
      o = {
        shipped: 0,
        rejected: 0,
        retries: 0,
        memoryBatches: 0,
        diskBatches: 0,
        diskBytes: 0,
        up: true,
        lastError: null,
      };
      this.outputs.set(name, o);
    }
    return o;
  }
}
