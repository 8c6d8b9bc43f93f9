/**
 * Prometheus text exposition format 0.0.4, for the dozen counters and gauges the shipper serves.
 *
 * Why not prom-client: importing it costs ~10-11 MiB of resident memory in this process (its CPU
 * metric pulls in @opentelemetry/api, and its index loads cluster, pushgateway, histograms and
 * summaries we never use) — a sixth of the 64 MiB goal, paid even with the metrics server off.
 * The shipper keeps its numbers in plain fields (stats.ts) and only needs them rendered at scrape
 * time, which is this file.
 */

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricType = 'counter' | 'gauge';

/** One labelled value; `labels` maps label names (valid Prometheus names) to raw values. */
export interface Sample {
  readonly labels?: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface MetricFamily {
  /** A valid metric name; counters end in `_total` by convention (not enforced here). */
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  /** Read at every scrape; an empty list renders HELP and TYPE only, as prom-client did. */
  readonly collect: () => readonly Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Throws on a name Prometheus would reject, so a typo fails at start, not at the first scrape. */
export function checkFamily(family: MetricFamily): MetricFamily {
  if (!NAME.test(family.name)) throw new Error(`invalid metric name ${JSON.stringify(family.name)}`);
  return family;
}

/** Renders every family in order; each ends with a newline, as the format requires. */
export function render(families: readonly MetricFamily[]): string {
  let out = '';
  for (const f of families) {
    out += `# HELP ${f.name} ${escapeHelp(f.help)}\n# TYPE ${f.name} ${f.type}\n`;
    for (const s of f.collect()) out += `${f.name}${renderLabels(s.labels)} ${formatValue(s.value)}\n`;
  }
  return out;
}

function renderLabels(labels: Readonly<Record<string, string>> | undefined): string {
  if (labels === undefined) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(labels)) {
    if (!LABEL_NAME.test(k)) throw new Error(`invalid label name ${JSON.stringify(k)}`);
    parts.push(`${k}="${escapeLabelValue(v)}"`);
  }
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

/** The format's float spellings: Go's ParseFloat reads JS's `1e+21`; infinities and NaN are words. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

function escapeHelp(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabelValue(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
