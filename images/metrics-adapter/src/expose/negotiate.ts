/**
 * Picks the exposition format from an Accept header, as client_golang does: OpenMetrics when the
 * client lists `application/openmetrics-text` with a q at least as high as any text/plain it lists
 * (Prometheus 2.x sends OpenMetrics q=1, text q=0.5); the text format otherwise, including for curl.
 */
import type { ExpositionFormat } from './exposition.js';

export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (!accept) return 'text';
  let openMetricsQ = -1;
  let textQ = -1;
  for (const part of accept.split(',')) {
    const [mediaRaw, ...params] = part.split(';');
    const media = (mediaRaw ?? '').trim().toLowerCase();
    let q = 1;
    for (const p of params) {
      const [k, v] = p.split('=').map((x) => x.trim());
      if (k === 'q' && v !== undefined) {
        const n = Number(v);
        q = Number.isFinite(n) ? n : 0;
      }
    }
    if (media === 'application/openmetrics-text') openMetricsQ = Math.max(openMetricsQ, q);
    else if (media === 'text/plain') textQ = Math.max(textQ, q);
  }
  return openMetricsQ > 0 && openMetricsQ >= textQ ? 'openmetrics' : 'text';
}
