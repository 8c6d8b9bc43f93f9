/**
 * Request bodies for the HTTP output, one function per wire format:
 * - json: NDJSON, one record per line (`Content-Type: application/x-ndjson`), what Vector's http sink
 *   sends with `framing: newline_delimited`.
 * - loki: `POST /loki/api/v1/push` `{"streams":[{"stream":{labels},"values":[["<unix ns>","<line>"]]}]}`.
 *   Loki drops an entry whose timestamp and line equal an earlier one, so each record's nanoseconds
 *   get its index in the batch: identical lines read in the same millisecond all survive.
 * - elasticsearch: `POST /_bulk` NDJSON, an action line before each source line, final newline.
 */
import type { HttpFormat } from '../config/types.js';
import { type Batch, batchRecords } from '../pipeline/batch.js';

export interface EncodedBody {
  readonly body: Buffer | string;
  readonly contentType: string;
}

export function encodeNdjson(batch: Batch): EncodedBody {
  return { body: batch.body, contentType: 'application/x-ndjson' };
}

export function encodeLoki(batch: Batch, labels: Readonly<Record<string, string>>): EncodedBody {
  const records = batchRecords(batch);
  const values = new Array<string>(records.length);
  for (let i = 0; i < records.length; i++) {
    const ns = `${batch.times[i]}${String(i % 1_000_000).padStart(6, '0')}`;
    values[i] = `["${ns}",${JSON.stringify(records[i])}]`;
  }
  const body = `{"streams":[{"stream":${JSON.stringify(labels)},"values":[${values.join(',')}]}]}`;
  return { body, contentType: 'application/json' };
}

export function encodeBulk(batch: Batch, index: string): EncodedBody {
  const action = `{"create":{"_index":${JSON.stringify(index)}}}\n`;
  let body = '';
  for (const r of batchRecords(batch)) body += `${action}${r}\n`;
  return { body, contentType: 'application/x-ndjson' };
}

export function encode(
  format: HttpFormat,
  batch: Batch,
  labels: Readonly<Record<string, string>>,
  index: string,
) {
  switch (format) {
    case 'json':
      return encodeNdjson(batch);
    case 'loki':
      return encodeLoki(batch, labels);
    case 'elasticsearch':
      return encodeBulk(batch, index);
  }
}

/**
 * Reads an Elasticsearch bulk response. Returns the indexes of items to retry (429 and 5xx) and
 * how many were refused for good (other 4xx, e.g. mapping conflicts). Unknown shapes retry nothing.
 */
export function bulkFailures(responseBody: string): {
  retry: number[];
  rejected: number;
  firstError?: string;
} {
  let doc: { errors?: boolean; items?: Array<Record<string, { status?: number; error?: unknown }>> };
  try {
    doc = JSON.parse(responseBody) as typeof doc;
  } catch {
    return { retry: [], rejected: 0 };
  }
  if (!doc.errors || !Array.isArray(doc.items)) return { retry: [], rejected: 0 };
  const retry: number[] = [];
  let rejected = 0;
  let firstError: string | undefined;
  doc.items.forEach((item, i) => {
    const result = Object.values(item ?? {})[0];
    const status = result?.status ?? 200;
    if (status < 300 || status === 409) return; // 409 on create: already indexed by an earlier try
    firstError ??= JSON.stringify(result?.error ?? status);
    if (status === 429 || status >= 500) retry.push(i);
    else rejected += 1;
  });
  return firstError === undefined ? { retry, rejected } : { retry, rejected, firstError };
}
