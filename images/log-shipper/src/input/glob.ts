/**
 * Absolute-path globs: `*` and `?` within one path segment, `[abc]`/`[!a-z]` classes, and `**`
 * for any number of directories (at most MAX_DEPTH deep). Like shells and fast-glob, wildcards do
 * not match names starting with `.` unless the pattern segment does.
 *
 * Hand-written rather than a library: it is ~100 lines, and the general-purpose glob libraries
 * cost several MiB of resident memory, a real share of a 64 Mi sidecar budget.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const MAX_DEPTH = 16;
const MAGIC = /[*?[]/;

export function hasMagic(segment: string): boolean {
  return MAGIC.test(segment);
}

/** The leading directories without wildcards: where scanning (and watching) starts. */
export function globBase(pattern: string): string {
  const segs = pattern.split('/');
  const fixed: string[] = [];
  for (const s of segs.slice(0, -1)) {
    if (hasMagic(s)) break;
    fixed.push(s);
  }
  const base = fixed.join('/');
  return base === '' ? '/' : base;
}

/** One segment → a regex source (no `/` ever matches). */
function segmentSource(seg: string): string {
  let src = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '*') src += '[^/]*';
    else if (c === '?') src += '[^/]';
    else if (c === '[') {
      const close = seg.indexOf(']', i + 2);
      if (close < 0) {
        src += '\\[';
        continue;
      }
      let body = seg.slice(i + 1, close);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      src += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else src += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return src;
}

/** A matcher for whole absolute paths (used for `exclude`). */
export function globToRegExp(pattern: string): RegExp {
  const parts = pattern.split('/').map((seg) => (seg === '**' ? '(?:[^/]+/)*' : `${segmentSource(seg)}/`));
  let src = parts.join('');
  src = src.slice(0, -1); // no trailing slash after the last segment
  src = src.replace(/\(\?:\[\^\/\]\+\/\)\*$/, '.*');
  return new RegExp(`^${src}$`);
}

/** Paths (files or directories; the caller stats them) matching `pattern`. Unreadable directories are skipped. */
export async function expandGlob(pattern: string): Promise<string[]> {
  const segs = pattern.split('/').slice(1); // drop the empty root segment
  const out: string[] = [];
  await walk('/', segs, 0, 0, out);
  return out;
}

async function walk(
  dir: string,
  segs: readonly string[],
  i: number,
  depth: number,
  out: string[],
): Promise<void> {
  if (i === segs.length) {
    out.push(dir);
    return;
  }
  const seg = segs[i]!;
  if (seg === '**') {
    await walk(dir, segs, i + 1, depth, out);
    if (depth >= MAX_DEPTH) return;
    for (const e of await list(dir)) {
      if (e.isDirectory() && !e.name.startsWith('.')) await walk(join(dir, e.name), segs, i, depth + 1, out);
    }
    return;
  }
  if (!hasMagic(seg)) {
    await walk(join(dir, seg), segs, i + 1, depth, out);
    return;
  }
  const re = new RegExp(`^${segmentSource(seg)}$`);
  const dots = seg.startsWith('.');
  const last = i === segs.length - 1;
  for (const e of await list(dir)) {
    if (!dots && e.name.startsWith('.')) continue;
    if (!re.test(e.name)) continue;
    if (!last && !e.isDirectory() && !e.isSymbolicLink()) continue;
    await walk(join(dir, e.name), segs, i + 1, depth, out);
  }
}

async function list(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
