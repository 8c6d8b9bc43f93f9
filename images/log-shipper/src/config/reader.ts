/**
 * Typed accessors over an untrusted YAML/flags object. Each accessor names the dotted key in
 * the ConfigError it throws, so a user sees `outputs[0].url: expected a string` rather than a
 * stack trace. Unknown keys are rejected too: a misspelt key silently ignored is a lost log.
 */
import { ConfigError } from '../errors.js';

export type Obj = Readonly<Record<string, unknown>>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asObj(v: unknown, key: string): Obj {
  if (v === undefined || v === null) return {};
  if (!isObj(v)) throw new ConfigError(key, 'expected a mapping');
  return v;
}

export function rejectUnknown(o: Obj, key: string, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) {
      const where = key === '' ? k : `${key}.${k}`;
      throw new ConfigError(where, `unknown setting (allowed: ${allowed.join(', ')})`);
    }
  }
}

export function str(o: Obj, k: string, key: string, fallback?: string): string {
  const v = o[k];
  if (v === undefined || v === null) {
    if (fallback !== undefined) return fallback;
    throw new ConfigError(join(key, k), 'required');
  }
  if (typeof v !== 'string' || v === '') throw new ConfigError(join(key, k), 'expected a non-empty string');
  return v;
}

export function bool(o: Obj, k: string, key: string, fallback: boolean): boolean {
  const v = o[k];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw new ConfigError(join(key, k), 'expected true or false');
  return v;
}

export function oneOf<T extends string>(
  o: Obj,
  k: string,
  key: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const v = str(o, k, key, fallback);
  if (!(allowed as readonly string[]).includes(v)) {
    throw new ConfigError(join(key, k), `expected one of ${allowed.join(', ')}, got "${v}"`);
  }
  return v as T;
}

export function int(o: Obj, k: string, key: string, fallback: number, min: number, max: number): number {
  const v = o[k];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ConfigError(join(key, k), `expected an integer from ${min} to ${max}`);
  }
  return v;
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const DURATION_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration as a number of milliseconds or a string such as `250ms`, `5s`, `1m`. */
export function duration(o: Obj, k: string, key: string, fallbackMs: number, minMs: number): number {
  const v = o[k];
  if (v === undefined || v === null) return fallbackMs;
  let ms: number | undefined;
  if (typeof v === 'number' && Number.isFinite(v)) ms = v;
  else if (typeof v === 'string') {
    const m = DURATION.exec(v.trim());
    if (m) ms = Number(m[1]) * (DURATION_MS[m[2]!] ?? 1);
  }
  if (ms === undefined || ms < minMs || ms > 86_400_000) {
    throw new ConfigError(join(key, k), `expected a duration such as "500ms" or "5s" (at least ${minMs}ms)`);
  }
  return Math.round(ms);
}

const SIZE = /^(\d+)(B|Ki|Mi|Gi|KB|MB|GB|K|M|G)?$/;
const SIZE_UNIT: Readonly<Record<string, number>> = {
  B: 1,
  K: 1024,
  Ki: 1024,
  KB: 1000,
  M: 1024 ** 2,
  Mi: 1024 ** 2,
  MB: 1000 ** 2,
  G: 1024 ** 3,
  Gi: 1024 ** 3,
  GB: 1000 ** 3,
};

/** A byte size as a number or a string such as `64Ki`, `256Mi`, `1G`. */
export function size(o: Obj, k: string, key: string, fallback: number, min: number, max: number): number {
  const v = o[k];
  if (v === undefined || v === null) return fallback;
  let n: number | undefined;
  if (typeof v === 'number' && Number.isInteger(v)) n = v;
  else if (typeof v === 'string') {
    const m = SIZE.exec(v.trim());
    if (m) n = Number(m[1]) * (SIZE_UNIT[m[2] ?? 'B'] ?? 1);
  }
  if (n === undefined || n < min || n > max) {
    throw new ConfigError(
      join(key, k),
      `expected a size such as "64Ki" or "256Mi" from ${min} to ${max} bytes`,
    );
  }
  return n;
}

export function strList(o: Obj, k: string, key: string): string[] {
  const v = o[k];
  if (v === undefined || v === null) return [];
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list)) throw new ConfigError(join(key, k), 'expected a string or a list of strings');
  return list.map((item, i) => {
    if (typeof item !== 'string' || item === '') {
      throw new ConfigError(`${join(key, k)}[${i}]`, 'expected a non-empty string');
    }
    return item;
  });
}

export function strMap(o: Obj, k: string, key: string): Record<string, string> {
  const m = asObj(o[k], join(key, k));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(m)) {
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new ConfigError(`${join(key, k)}.${name}`, 'expected a string');
    }
    out[name] = String(value);
  }
  return out;
}

export function join(key: string, k: string): string {
  return key === '' ? k : `${key}.${k}`;
}
