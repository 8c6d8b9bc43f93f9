/**
 * Downward API values for env vars and downwardAPI volumes: fieldRef
 * (podFieldSelectorRuntimeValue + fieldpath.ExtractFieldPathAsString) and resourceFieldRef
 * (resource.ExtractContainerResourceValue with limits defaulted to node allocatable).
 */
import type { Container, ObjectFieldSelector, Pod, ResourceFieldSelector } from 'kubernetes-types/core/v1';
import { parseQuantity, quantityMillis, quantityValue } from '../api/quantity.js';

/** Addresses the kubelet knows beyond the pod object itself. */
export interface PodAddresses {
  readonly hostIPs: readonly string[];
  readonly podIPs: readonly string[];
}

/** Node allocatable used when a container sets no limit (cpu, memory, ephemeral-storage). */
export type NodeAllocatable = Readonly<Record<string, string>>;

export class DownwardAPIError extends Error {
  override readonly name = 'DownwardAPIError';
}

export function fieldRefValue(ref: ObjectFieldSelector, pod: Pod, addresses: PodAddresses): string {
  switch (ref.fieldPath) {
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return addresses.hostIPs[0] ?? '';
    case 'status.hostIPs':
      return addresses.hostIPs.join(',');
    case 'status.podIP':
      return addresses.podIPs[0] ?? '';
    case 'status.podIPs':
      return addresses.podIPs.join(',');
  }
  return extractFieldPath(pod, ref.fieldPath);
}

/** fieldpath.ExtractFieldPathAsString over metadata. */
export function extractFieldPath(pod: Pod, fieldPath: string): string {
  const meta = pod.metadata ?? {};
  const subscript = /^metadata\.(annotations|labels)\['(.*)'\]$/.exec(fieldPath);
  if (subscript) {
    const map = (subscript[1] === 'labels' ? meta.labels : meta.annotations) ?? {};
    return map[subscript[2] ?? ''] ?? '';
  }
  switch (fieldPath) {
    case 'metadata.annotations':
      return formatMap(meta.annotations ?? {});
    case 'metadata.labels':
      return formatMap(meta.labels ?? {});
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
  }
  throw new DownwardAPIError(`unsupported fieldPath: ${fieldPath}`);
}

/** fieldpath.FormatMap: sorted `key="value"` lines (Go %q quoting), no trailing newline. */
export function formatMap(map: Readonly<Record<string, string>>): string {
  return Object.keys(map)
    .sort()
    .map((k) => `${k}=${goQuote(map[k] ?? '')}`)
    .join('\n');
}

/** Go's strconv.Quote for the characters that appear in labels and annotations. */
export function goQuote(s: string): string {
  const escapes: Record<string, string> = {
    '\x07': '\\a',
    '\b': '\\b',
    '\f': '\\f',
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
    '\v': '\\v',
    '\\': '\\\\',
    '"': '\\"',
  };
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (escapes[ch]) out += escapes[ch];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * A container resource as a string: CPU in ceil(milli / divisor milli), others in
 * ceil(value / divisor value). An unset limit reads node allocatable (kubelet's
 * defaultPodLimitsForDownwardAPI); an unset request reads 0.
 */
export function resourceFieldRefValue(
  ref: ResourceFieldSelector,
  container: Container,
  allocatable: NodeAllocatable,
): string {
  const divisorText = ref.divisor === undefined ? '' : String(ref.divisor);
  const divisor =
    divisorText === '' || quantityMillis(parseQuantity(divisorText)) === 0n
      ? parseQuantity('1')
      : parseQuantity(divisorText);
  const [kind, resourceName] = splitResource(ref.resource);
  const source = kind === 'limits' ? container.resources?.limits : container.resources?.requests;
  let raw = source?.[resourceName];
  if (raw === undefined && kind === 'limits') raw = allocatable[resourceName];
  const quantity = parseQuantity(raw === undefined ? '0' : String(raw));
  if (resourceName === 'cpu') return ceilDiv(quantityMillis(quantity), quantityMillis(divisor));
  return ceilDiv(quantityValue(quantity), quantityValue(divisor));
}

const SUPPORTED = new Set(['cpu', 'memory', 'ephemeral-storage']);

function splitResource(resource: string): ['limits' | 'requests', string] {
  const [kind, name = ''] = resource.split(/\.(.*)/s);
  if ((kind === 'limits' || kind === 'requests') && (SUPPORTED.has(name) || name.startsWith('hugepages-'))) {
    return [kind, name];
  }
  throw new DownwardAPIError(`unsupported container resource : ${resource}`);
}

function ceilDiv(a: bigint, b: bigint): string {
  if (b === 0n) throw new DownwardAPIError('resourceFieldRef.divisor must be positive');
  const q = a / b;
  return String(a % b !== 0n && a > 0n ? q + 1n : q);
}
