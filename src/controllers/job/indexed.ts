/**
 * Indexed completion mode, as upstream's pkg/controller/job/indexed_job_utils.go (1.32;
 * backoffLimitPerIndex is index-failures.ts): every pod of an Indexed Job owns one completion
 * index in [0, completions), carried by the batch.kubernetes.io/job-completion-index
 * annotation and label; the succeeded indexes are kept in status.completedIndexes as sorted,
 * merged intervals ("0-2,4,6,7": a run of two is written with a comma, as upstream does).
 */
import type { Container, PodSpec } from 'kubernetes-types/core/v1';
import { JOB_COMPLETION_INDEX_ANNOTATION } from '../../api/registry/jobs/labels.js';
import { type JobObj, type PodObj, rankForDeletion } from './pods.js';

export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';
/** upstream's names.MaxGeneratedNameLength: 63 less the 5 random characters. */
const MAX_GENERATED_NAME_LENGTH = 58;

export const isIndexedJob = (job: JobObj): boolean => job.spec?.completionMode === 'Indexed';

/** A closed run of indexes, first <= last. */
export interface Interval {
  first: number;
  last: number;
}

/** Sorted, non-overlapping, non-adjacent intervals. */
export type OrderedIntervals = readonly Interval[];

/**
 * getCompletionIndex: the pod's index annotation as a non-negative integer (Go's Atoi: an
 * optional sign, decimal digits), else undefined.
 */
export function completionIndexOf(pod: PodObj): number | undefined {
  const v = pod.metadata.annotations?.[JOB_COMPLETION_INDEX_ANNOTATION];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) return undefined;
  return n === 0 ? 0 : n; // -0 → 0
}

/** A valid index for a Job of `completions`: known and below completions. */
export function validIndexOf(pod: PodObj, completions: number): number | undefined {
  const ix = completionIndexOf(pod);
  return ix !== undefined && ix < completions ? ix : undefined;
}

/**
 * parseIndexesFromString: reads "a-b,c" back, dropping corrupt parts, stopping at the first
 * interval that starts at or past `completions` and clipping the last one to it; adjacent
 * intervals merge.
 */
export function parseIndexes(text: string | undefined, completions: number): Interval[] {
  const out: Interval[] = [];
  if (!text) return out;
  const atoi = (s: string | undefined): number | undefined =>
    s !== undefined && /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
  for (const part of text.split(',')) {
    const limits = part.split('-');
    const first = atoi(limits[0]);
    if (first === undefined) continue;
    if (first >= completions) break;
    let last = first;
    if (limits.length > 1) {
      const l = atoi(limits[1]);
      if (l === undefined) continue;
      last = Math.min(l, completions - 1);
    }
    const prev = out[out.length - 1];
    if (prev && prev.last === first - 1) prev.last = last;
    else out.push({ first, last });
  }
  return out;
}

/** merge: the union of two ordered lists, adjacent and overlapping intervals joined. */
export function mergeIntervals(a: OrderedIntervals, b: OrderedIntervals): Interval[] {
  const out: Interval[] = [];
  const add = (iv: Interval): void => {
    const prev = out[out.length - 1];
    if (!prev || iv.first > prev.last + 1) out.push({ ...iv });
    else if (prev.last < iv.last) prev.last = iv.last;
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i]!.first < b[j]!.first) add(a[i++]!);
    else add(b[j++]!);
  }
  while (i < a.length) add(a[i++]!);
  while (j < b.length) add(b[j++]!);
  return out;
}

/** withOrderedIndexes: `intervals` plus the given indexes (any order, duplicates allowed). */
export function withIndexes(intervals: OrderedIntervals, indexes: Iterable<number>): Interval[] {
  const sorted = [...new Set(indexes)].sort((x, y) => x - y);
  return mergeIntervals(
    intervals,
    sorted.map((ix) => ({ first: ix, last: ix })),
  );
}

/** How many indexes the intervals hold. */
export const totalIndexes = (intervals: OrderedIntervals): number =>
  intervals.reduce((n, iv) => n + iv.last - iv.first + 1, 0);

/** Whether `ix` is in the intervals. */
export const hasIndex = (intervals: OrderedIntervals, ix: number): boolean =>
  intervals.some((iv) => iv.first <= ix && ix <= iv.last);

/** The status.completedIndexes form: "0-2,4", with a two-index run written "5,6". */
export function formatIntervals(intervals: OrderedIntervals): string {
  return intervals
    .map((iv) => {
      if (iv.last === iv.first) return String(iv.first);
      return `${iv.first}${iv.last === iv.first + 1 ? ',' : '-'}${iv.last}`;
    })
    .join(',');
}

/**
 * firstPendingIndexes: the lowest `count` indexes below `completions` that neither succeeded
 * nor are held by one of `holding` (the active pods, plus the terminating ones when only
 * failed pods are replaced).
 */
export function firstPendingIndexes(
  holding: readonly PodObj[],
  succeeded: OrderedIntervals,
  count: number,
  completions: number,
): number[] {
  const result: number[] = [];
  if (count <= 0) return result;
  const held: number[] = [];
  for (const p of holding) {
    const ix = completionIndexOf(p);
    if (ix !== undefined) held.push(ix);
  }
  let candidate = 0;
  for (const iv of withIndexes(succeeded, held)) {
    for (; candidate < completions && result.length < count && candidate < iv.first; candidate++)
      result.push(candidate);
    if (candidate < iv.last + 1) candidate = iv.last + 1;
  }
  for (; candidate < completions && result.length < count; candidate++) result.push(candidate);
  return result;
}

/**
 * appendDuplicatedIndexPodsForRemoval: splits active pods into those to remove (no index, an
 * index outside [0, completions), or a repeat of an index: all but the one pod least eligible
 * for deletion) and those left.
 */
export function indexedPodsForRemoval(
  active: readonly PodObj[],
  completions: number,
): { remove: PodObj[]; left: PodObj[] } {
  const remove: PodObj[] = [];
  const left: PodObj[] = [];
  const byIndex = new Map<number, PodObj[]>();
  for (const p of active) {
    const ix = validIndexOf(p, completions);
    if (ix === undefined) {
      remove.push(p);
      continue;
    }
    const group = byIndex.get(ix);
    if (group) group.push(p);
    else byIndex.set(ix, [p]);
  }
  for (const ix of [...byIndex.keys()].sort((x, y) => x - y)) {
    const ranked = rankForDeletion(byIndex.get(ix)!);
    remove.push(...ranked.slice(0, -1));
    left.push(ranked[ranked.length - 1]!);
  }
  return { remove, left };
}

/** podGenerateNameWithIndex: `<job>-<i>-`, the Job name cut so the prefix fits 58 characters. */
export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  if (prefix.length <= MAX_GENERATED_NAME_LENGTH) return prefix;
  return prefix.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length) + suffix;
}

/**
 * Makes `pod` (fresh from the Job's template) the pod of completion `index`, as upstream's
 * manageJob: the index annotation and label, hostname `<job>-<index>` (the template's
 * subdomain stays), generateName `<job>-<index>-`, and the JOB_COMPLETION_INDEX env var.
 */
export function setCompletionIndex(pod: PodObj, jobName: string, index: number): void {
  const meta = pod.metadata;
  meta.annotations = { ...(meta.annotations ?? {}), [JOB_COMPLETION_INDEX_ANNOTATION]: String(index) };
  meta.labels = { ...(meta.labels ?? {}), [JOB_COMPLETION_INDEX_ANNOTATION]: String(index) };
  meta.generateName = podGenerateNameWithIndex(jobName, index);
  pod.spec ??= { containers: [] };
  addCompletionIndexEnv(pod.spec);
  pod.spec.hostname = `${jobName}-${index}`;
}

/**
 * addCompletionIndexEnvVariables: every init and regular container gets JOB_COMPLETION_INDEX
 * from the index label (PodIndexLabel, on by default), appended after its own env, unless it
 * already defines that name. Mutates `spec`.
 */
export function addCompletionIndexEnv(spec: PodSpec): void {
  const add = (c: Container): void => {
    if ((c.env ?? []).some((e) => e.name === COMPLETION_INDEX_ENV)) return;
    c.env = [
      ...(c.env ?? []),
      {
        name: COMPLETION_INDEX_ENV,
        valueFrom: { fieldRef: { fieldPath: `metadata.labels['${JOB_COMPLETION_INDEX_ANNOTATION}']` } },
      },
    ];
  };
  for (const c of spec.initContainers ?? []) add(c);
  for (const c of spec.containers ?? []) add(c);
}
