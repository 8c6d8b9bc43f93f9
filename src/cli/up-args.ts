/**
 * Flags of `podbay up`, `podbay status` and `podbay down`, parsed into plain option objects.
 * Paths are resolved here: user paths against the working directory, the default manifests
 * (`-k examples/patterns`) against the repository, so `podbay up` works from anywhere.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DATA_DIR, DEFAULT_LISTEN } from './server.js';
import { parseDuration, parseOrUsage, UsageError } from './usage-error.js';

const REPO_ROOT = new URL('../../../', import.meta.url).pathname;
export const DEFAULT_MANIFESTS = join(REPO_ROOT, 'examples', 'patterns');
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export const UP_USAGE = `Usage: podbay up [-f FILE|DIR]... [-k DIR]... [flags]

Starts podbay in the background if it is not running, applies the manifests, waits until every
pod of the namespaces they touch is Ready, then prints how to use it. Without -f or -k it applies
the seed's four patterns (-k ${DEFAULT_MANIFESTS}).

  -f, --filename FILE|DIR  manifests to apply (kubectl apply -f); repeatable
  -k, --kustomize DIR      a kustomization to apply (kubectl apply -k); repeatable
  --timeout DURATION       how long to wait for Ready pods (default 5m), e.g. 90s, 10m
  --data-dir DIR           the server's state, pid file, log and kubeconfig (default ${DEFAULT_DATA_DIR})
  --listen HOST:PORT       the API address when a server is started (default ${DEFAULT_LISTEN})
  --no-kubeconfig          do not merge a "podbay" context into $KUBECONFIG or ~/.kube/config

Exit codes: 0 every pod Ready, 1 failure (the pods not Ready are named), 2 usage error.`;

export const STATUS_USAGE = `Usage: podbay status [--data-dir DIR]

Whether the server of DIR runs (pid, URL, uptime), the node, and the pods per namespace with their
Ready counts. Exits 0 when the server runs, 1 when it does not.`;

export const DOWN_USAGE = `Usage: podbay down [--data-dir DIR] [--purge]

Stops the server of DIR after it removed every pod, checks that nothing is left on this machine
(bridge, nft tables, mounts, cgroups, shim processes), and removes the "podbay" context from the
kubeconfig \`podbay up\` merged it into, making the previous context current again.

  --purge   also delete DIR (the API objects, PKI and log)`;

export type ManifestSource = { kind: 'file'; path: string } | { kind: 'kustomize'; path: string };

export interface UpOptions {
  sources: ManifestSource[];
  timeoutMs: number;
  dataDir: string;
  listen: string;
  mergeKubeconfig: boolean;
}

/** Checks a source exists (and a -k dir holds a kustomization); the error names flag and path. */
function checkSource(source: ManifestSource, flag: string): ManifestSource {
  if (!existsSync(source.path))
    throw new UsageError(`${flag} ${source.path}: no such file or directory`, UP_USAGE);
  if (source.kind === 'kustomize') {
    if (!statSync(source.path).isDirectory()) {
      throw new UsageError(`${flag} ${source.path}: not a directory (use -f for a file)`, UP_USAGE);
    }
    if (!KUSTOMIZATION_FILES.some((f) => existsSync(join(source.path, f)))) {
      throw new UsageError(
        `${flag} ${source.path}: no kustomization.yaml in it (use -f for plain manifests)`,
        UP_USAGE,
      );
    }
  }
  return source;
}

export function parseUpArgs(argv: string[], cwd = process.cwd()): UpOptions {
  // parseArgs on Node 20 has no negated booleans: --no-kubeconfig is taken out by hand.
  const noKubeconfig = argv.includes('--no-kubeconfig');
  const { values, tokens } = parseOrUsage(UP_USAGE, () =>
    parseArgs({
      args: argv.filter((a) => a !== '--no-kubeconfig'),
      options: {
        filename: { type: 'string', short: 'f', multiple: true },
        kustomize: { type: 'string', short: 'k', multiple: true },
        timeout: { type: 'string', default: '5m' },
        'data-dir': { type: 'string', default: DEFAULT_DATA_DIR },
        listen: { type: 'string', default: DEFAULT_LISTEN },
      },
      strict: true,
      tokens: true,
    }),
  );
  // Sources apply in the order given on the command line, -f and -k interleaved.
  const sources: ManifestSource[] = [];
  for (const t of tokens ?? []) {
    if (t.kind !== 'option' || t.value === undefined) continue;
    if (t.name === 'filename')
      sources.push(checkSource({ kind: 'file', path: resolve(cwd, t.value) }, t.rawName));
    if (t.name === 'kustomize')
      sources.push(checkSource({ kind: 'kustomize', path: resolve(cwd, t.value) }, t.rawName));
  }
  if (sources.length === 0) sources.push(checkSource({ kind: 'kustomize', path: DEFAULT_MANIFESTS }, '-k'));
  return {
    sources,
    timeoutMs: parseDuration('--timeout', values.timeout!, UP_USAGE),
    dataDir: resolve(cwd, values['data-dir']!),
    listen: values.listen!,
    mergeKubeconfig: !noKubeconfig,
  };
}

export function parseStatusArgs(argv: string[], cwd = process.cwd()): { dataDir: string } {
  const { values } = parseOrUsage(STATUS_USAGE, () =>
    parseArgs({
      args: argv,
      options: { 'data-dir': { type: 'string', default: DEFAULT_DATA_DIR } },
      strict: true,
    }),
  );
  return { dataDir: resolve(cwd, values['data-dir']!) };
}

export function parseDownArgs(argv: string[], cwd = process.cwd()): { dataDir: string; purge: boolean } {
  const { values } = parseOrUsage(DOWN_USAGE, () =>
    parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string', default: DEFAULT_DATA_DIR },
        purge: { type: 'boolean', default: false },
      },
      strict: true,
    }),
  );
  return { dataDir: resolve(cwd, values['data-dir']!), purge: values.purge === true };
}
