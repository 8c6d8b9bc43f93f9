/**
 * PodLogOptions from the query string, validated as upstream's ValidatePodLogOptions does
 * (pkg/apis/core/validation): a malformed number is a 400 naming the parameter, an out-of-range
 * value a 422 Invalid on kind PodLogOptions.
 */
import { ApiError, badRequest, type StatusCause } from '../../errors.js';

export interface LogOptions {
  container: string | null;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  limitBytes?: number;
  /** Lines older than this (epoch ms) are dropped; from sinceSeconds or sinceTime. */
  sinceMs?: number;
}

const bool = (v: string | null): boolean => v === 'true' || v === '1';

function integer(q: URLSearchParams, field: string): number | undefined {
  const raw = q.get(field);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw))
    throw badRequest(`${field}: invalid value ${JSON.stringify(raw)}: must be an integer`);
  return Number(raw);
}

export function parseLogOptions(q: URLSearchParams, podName: string, now: Date): LogOptions {
  const tailLines = integer(q, 'tailLines');
  const limitBytes = integer(q, 'limitBytes');
  const sinceSeconds = integer(q, 'sinceSeconds');
  const sinceTimeRaw = q.get('sinceTime');
  let sinceTime: number | undefined;
  if (sinceTimeRaw) {
    sinceTime = Date.parse(sinceTimeRaw);
    if (Number.isNaN(sinceTime) || !/^\d{4}-\d{2}-\d{2}T/.test(sinceTimeRaw)) {
      throw badRequest(`sinceTime: invalid value ${JSON.stringify(sinceTimeRaw)}: must be an RFC3339 time`);
    }
  }
  const causes: StatusCause[] = [];
  const invalid = (field: string, value: number, detail: string) =>
    causes.push({ reason: 'FieldValueInvalid', field, message: `Invalid value: ${value}: ${detail}` });
  if (tailLines !== undefined && tailLines < 0)
    invalid('tailLines', tailLines, 'must be greater than or equal to 0');
  if (limitBytes !== undefined && limitBytes < 1) invalid('limitBytes', limitBytes, 'must be greater than 0');
  if (sinceSeconds !== undefined && sinceSeconds < 1)
    invalid('sinceSeconds', sinceSeconds, 'must be greater than 0');
  if (sinceSeconds !== undefined && sinceTime !== undefined) {
    causes.push({
      reason: 'FieldValueForbidden',
      field: '',
      message: 'at most one of `sinceTime` or `sinceSeconds` may be specified',
    });
  }
  if (causes.length) {
    const summary = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
    throw new ApiError(
      422,
      'Invalid',
      `PodLogOptions ${JSON.stringify(podName)} is invalid: ${summary.length === 1 ? summary[0] : `[${summary.join(', ')}]`}`,
      { name: podName, kind: 'PodLogOptions', causes },
    );
  }
  const opts: LogOptions = {
    container: q.get('container'),
    follow: bool(q.get('follow')),
    previous: bool(q.get('previous')),
    timestamps: bool(q.get('timestamps')),
  };
  if (tailLines !== undefined) opts.tailLines = tailLines;
  if (limitBytes !== undefined) opts.limitBytes = limitBytes;
  if (sinceSeconds !== undefined) opts.sinceMs = now.getTime() - sinceSeconds * 1000;
  else if (sinceTime !== undefined) opts.sinceMs = sinceTime;
  return opts;
}
