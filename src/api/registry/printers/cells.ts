/**
 * Cell conventions shared by every kind's printer, as printers.go writes them: the placeholder
 * strings, the wide Containers/Images cells, and the Go string semantics (byte-order sort,
 * unicode.IsSpace trimming) that cells must follow to match upstream byte for byte.
 */

/** A field that is legitimately empty: no node, no selector, no ports. */
export const NONE = '<none>';
/** A time that is unset (printers.go's translateTimestampSince on a zero time). */
export const UNKNOWN = '<unknown>';
/** A LoadBalancer service still waiting for its ingress address. */
export const PENDING = '<pending>';
/** A selector that does not parse (Deployment's Selector cell). */
export const INVALID = '<invalid>';
/** A selector that does not parse (metav1.FormatLabelSelector). */
export const ERROR = '<error>';

/**
 * spec.replicas of a Deployment or ReplicaSet when absent: apps/v1 defaulting sets 1 before an
 * object is stored, so this only shows for objects that skipped defaulting (upstream's internal
 * type always holds a number).
 */
export const DEFAULT_REPLICAS = 1;

/** A cell value as a Table row carries it. */
export type Cell = string | number | boolean;

interface NamedImage {
  name?: string;
  image?: string;
}

/**
 * The wide Containers and Images cells (printers.go layoutContainerCells): names and images
 * joined with "," in spec order; an absent image contributes an empty string.
 */
export function layoutContainerCells(containers: readonly NamedImage[] | undefined): {
  names: string;
  images: string;
} {
  const list = containers ?? [];
  return {
    names: list.map((c) => c.name ?? '').join(','),
    images: list.map((c) => c.image ?? '').join(','),
  };
}

/**
 * Compares strings by their UTF-8 bytes, as Go's `<` and sort.Strings do. JavaScript's default
 * order compares UTF-16 code units, which differs for characters above U+E000 vs astral ones.
 */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

// unicode.IsSpace: Latin-1 spaces plus the White_Space property outside Latin-1.
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const GO_TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'g');

/** strings.TrimSpace: unlike String.prototype.trim, keeps U+FEFF and strips U+0085. */
export function goTrimSpace(s: string): string {
  return s.replace(GO_TRIM, '');
}

/** The first value that is neither absent nor empty, else "" (printers.go firstNonEmpty). */
export function firstNonEmpty(...values: (string | undefined)[]): string {
  return values.find((v) => v !== undefined && v !== '') ?? '';
}
