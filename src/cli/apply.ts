/**
 * `podbay up`'s apply step: each source through the stock `kubectl apply` (-k for a kustomization,
 * -f for files and directories), in command-line order. It returns what the waiting step needs:
 * the namespaces the applied objects live in (and the Namespaces applied themselves).
 */
import { relative } from 'node:path';
import { KubectlError, runKubectl } from './kubectl.js';
import type { ManifestSource } from './up-args.js';

interface AppliedObject {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
}

export interface ApplyResult {
  objects: number;
  namespaces: string[];
}

function label(source: ManifestSource): string {
  const rel = relative(process.cwd(), source.path) || '.';
  return `${source.kind === 'kustomize' ? '-k' : '-f'} ${rel.startsWith('..') ? source.path : rel}`;
}

/** `kubectl apply -o json` prints one object, or a List of them. */
function appliedObjects(stdout: string): AppliedObject[] {
  if (stdout.trim() === '') return [];
  const out = JSON.parse(stdout) as AppliedObject & { items?: AppliedObject[] };
  return out.kind === 'List' ? (out.items ?? []) : [out];
}

export async function applySources(
  dataDir: string,
  sources: readonly ManifestSource[],
  say: (line: string) => void,
): Promise<ApplyResult> {
  const namespaces = new Set<string>();
  let objects = 0;
  for (const source of sources) {
    const flag = source.kind === 'kustomize' ? '-k' : '-f';
    const args = ['apply', flag, source.path, '-o', 'json'];
    const res = await runKubectl(dataDir, args);
    if (res.code !== 0) {
      throw new KubectlError(
        `kubectl apply ${label(source)} failed (exit ${res.code}):\n${res.stderr.trim()}`,
      );
    }
    const items = appliedObjects(res.stdout);
    for (const o of items) {
      if (o.kind === 'Namespace' && o.metadata?.name) namespaces.add(o.metadata.name);
      else if (o.metadata?.namespace) namespaces.add(o.metadata.namespace);
    }
    objects += items.length;
    say(`applied ${label(source)}: ${items.length} objects`);
  }
  return { objects, namespaces: [...namespaces].sort() };
}
