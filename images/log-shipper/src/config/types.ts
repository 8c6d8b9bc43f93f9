/**
 * The validated configuration. Built only by config/validate.ts (from YAML) or config/flags.ts
 * (from command-line flags, through the same validator), so every other module may trust it.
 */

export type ParserSpec =
  | { readonly kind: 'nginx' }
  | { readonly kind: 'combined' }
  | { readonly kind: 'nginx_error' }
  | { readonly kind: 'json' }
  | { readonly kind: 'none' }
  | { readonly kind: 'regex'; readonly pattern: string };

export type ReadFrom = 'head' | 'tail';

export interface InputConfig {
  /** Globs of files to follow, e.g. `/var/log/nginx/*.log`. */
  readonly paths: readonly string[];
  readonly exclude: readonly string[];
  readonly parser: ParserSpec;
  /** Where to start in files that have no checkpoint yet, found at the first start. */
  readonly readFrom: ReadFrom;
  /** Lines longer than this are cut to this many bytes and marked `truncated`. */
  readonly maxLineBytes: number;
  /** How often the globs are re-scanned (directory events also trigger a scan). */
  readonly scanIntervalMs: number;
  /** How often followed files are checked for growth, truncation and rotation. */
  readonly pollIntervalMs: number;
  /** How long a rotated-away or deleted file is kept open after its last growth. */
  readonly rotateWaitMs: number;
}

export type HttpFormat = 'json' | 'loki' | 'elasticsearch';

export type OutputConfig =
  | { readonly type: 'stdout'; readonly name: string }
  | { readonly type: 'file'; readonly name: string; readonly path: string }
  | {
      readonly type: 'http';
      readonly name: string;
      readonly url: string;
      readonly format: HttpFormat;
      readonly headers: Readonly<Record<string, string>>;
      readonly labels: Readonly<Record<string, string>>;
      readonly index: string;
      readonly timeoutMs: number;
    }
  | {
      readonly type: 'syslog';
      readonly name: string;
      readonly host: string;
      readonly port: number;
      readonly appName: string;
      readonly facility: number;
      readonly timeoutMs: number;
    };

export interface BatchConfig {
  readonly maxEvents: number;
  readonly maxBytes: number;
  readonly timeoutMs: number;
}

export interface RetryConfig {
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export interface BufferConfig {
  /** Batches a healthy output may hold in memory before it spills to disk. */
  readonly maxMemoryBatches: number;
  /** Upper bound of each output's on-disk buffer; when full, reading stops (backpressure). */
  readonly maxDiskBytes: number;
}

export interface EnrichConfig {
  readonly pod?: string;
  readonly namespace?: string;
  readonly container?: string;
  readonly node?: string;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ShipperConfig {
  readonly inputs: readonly InputConfig[];
  readonly outputs: readonly OutputConfig[];
  readonly stateDir: string;
  readonly batch: BatchConfig;
  readonly retry: RetryConfig;
  readonly buffer: BufferConfig;
  /** `host:port` of the /metrics and /health server, or null for none. */
  readonly metricsListen: string | null;
  readonly enrich: EnrichConfig;
  readonly logLevel: LogLevel;
  /** On SIGTERM, how long outputs may keep delivering before the rest is written to disk. */
  readonly shutdownGraceMs: number;
  /** Keep the raw line as `message` even when it parsed. */
  readonly keepRaw: boolean;
}
