/**
 * The image catalog: image reference patterns -> process recipes (images/catalog.yaml documents the
 * format). Parsing validates every field and names the entry and field at fault; matching normalises
 * references the way Docker does (docker.io/, library/, :latest, @digest).
 * User entries (from the data dir) are consulted before the repository's.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ImageNotFoundError, RuntimeError } from './errors.js';
import type { ResolvedImage } from './types.js';

/** One catalog entry: the recipe an image reference resolves to (`sameAs` names another entry's). */
export interface CatalogEntry extends Omit<ResolvedImage, 'reference'> {
  sameAs?: string;
}

/**
 * This repository's root, found from this file's location: dist/src/runtime, .build/<x>/src/runtime, or
 * dist/src/cli when it runs from the CLI bundle (scripts/bundle-cli.sh).
 */
export function findRepoRoot(start = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (let i = 0; i < 8; i++) {
    if (dir.endsWith('/src/runtime')) {
      const candidate = resolve(dir, '../..');
      if (!candidate.includes('/.build/') && !candidate.endsWith('/dist')) return candidate;
    }
    dir = dirname(dir);
  }
  return resolve(start, '../..').replace(/\/(\.build\/[^/]+|dist)$/, '');
}

/** Written `${PODBAY_REPO}` in the catalog (spelled out here so it is not read as a template). */
const REPO_PLACEHOLDER = '$' + '{PODBAY_REPO}';

export const REPO_CATALOG = (repoRoot: string) => join(repoRoot, 'images', 'catalog.yaml');
export const USER_CATALOG = (dataDir: string) => join(dataDir, 'images', 'catalog.yaml');

class CatalogInvalidError extends RuntimeError {
  constructor(source: string, where: string, detail: string) {
    super('CatalogInvalid', `${source}: ${where}: ${detail}`);
  }
}

function stringList(v: unknown, source: string, where: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' && typeof x !== 'number')) {
    throw new CatalogInvalidError(source, where, 'must be a list of strings');
  }
  return v.map(String);
}

/** Parses catalog YAML text; `${PODBAY_REPO}` is replaced with repoRoot. */
export function parseCatalog(text: string, source: string, repoRoot: string): CatalogEntry[] {
  const doc = parse(text.replaceAll(REPO_PLACEHOLDER, repoRoot)) as { images?: unknown } | null;
  if (!doc || !Array.isArray(doc.images)) throw new CatalogInvalidError(source, 'images', 'must be a list');
  return doc.images.map((raw: unknown, i: number) => {
    const at = `images[${i}]`;
    if (!raw || typeof raw !== 'object') throw new CatalogInvalidError(source, at, 'must be a mapping');
    const e = raw as Record<string, unknown>;
    const known = [
      'pattern',
      'sameAs',
      'entrypoint',
      'cmd',
      'env',
      'workingDir',
      'user',
      'stopSignal',
      'packages',
    ];
    for (const k of Object.keys(e)) {
      if (!known.includes(k)) throw new CatalogInvalidError(source, `${at}.${k}`, 'unknown field');
    }
    if (typeof e.pattern !== 'string' || e.pattern === '') {
      throw new CatalogInvalidError(source, `${at}.pattern`, 'required string');
    }
    const env = e.env ?? {};
    if (typeof env !== 'object' || Array.isArray(env)) {
      throw new CatalogInvalidError(source, `${at}.env`, 'must be a mapping NAME: value');
    }
    const stopSignal = e.stopSignal ?? 'SIGTERM';
    if (typeof stopSignal !== 'string' || !/^SIG[A-Z0-9]+$/.test(stopSignal)) {
      throw new CatalogInvalidError(source, `${at}.stopSignal`, 'must be a signal name such as SIGTERM');
    }
    for (const f of ['sameAs', 'workingDir', 'user'] as const) {
      if (e[f] !== undefined && typeof e[f] !== 'string' && typeof e[f] !== 'number') {
        throw new CatalogInvalidError(source, `${at}.${f}`, 'must be a string');
      }
    }
    return {
      pattern: e.pattern,
      ...(e.sameAs !== undefined && { sameAs: String(e.sameAs) }),
      entrypoint: stringList(e.entrypoint, source, `${at}.entrypoint`),
      cmd: stringList(e.cmd, source, `${at}.cmd`),
      env: Object.entries(env as Record<string, unknown>).map(([name, value]) => ({
        name,
        value: String(value),
      })),
      ...(e.workingDir !== undefined && { workingDir: String(e.workingDir) }),
      ...(e.user !== undefined && { user: String(e.user) }),
      stopSignal: stopSignal as NodeJS.Signals,
      packages: stringList(e.packages, source, `${at}.packages`),
    };
  });
}

/** Docker's normalisation: `nginx` -> {repo: "nginx", tag: "latest"}; registry docker.io dropped. */
export function normalizeReference(ref: string): { repo: string; tag: string } {
  let rest = ref.trim();
  let tag = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    tag = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    if (at < 0) tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  for (const prefix of ['docker.io/', 'index.docker.io/', 'registry-1.docker.io/']) {
    if (rest.startsWith(prefix)) rest = rest.slice(prefix.length);
  }
  if (rest.startsWith('library/')) rest = rest.slice('library/'.length);
  return { repo: rest.toLowerCase(), tag };
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*');
  return new RegExp(`^${body}$`);
}

export function patternMatches(pattern: string, reference: string): boolean {
  const ref = normalizeReference(reference);
  const colon = pattern.lastIndexOf(':');
  const slash = pattern.lastIndexOf('/');
  const repoGlob = colon > slash ? pattern.slice(0, colon) : pattern;
  const tagGlob = colon > slash ? pattern.slice(colon + 1) : '*';
  return (
    globToRegExp(normalizeReference(repoGlob).repo).test(ref.repo) && globToRegExp(tagGlob).test(ref.tag)
  );
}

export class ImageCatalog {
  constructor(
    readonly entries: readonly CatalogEntry[],
    readonly userCatalogPath: string,
  ) {}

  /** Loads the repository catalog and, when present, the user's from `<dataDir>/images/catalog.yaml`. */
  /**
   * The repository's catalog, below the data dir's (`<dataDir>/images/catalog.yaml`, optional),
   * below any given with `podbay server --image-catalog FILE` (each required; the first that
   * names a reference wins).
   */
  static async load(opts: {
    dataDir: string;
    repoRoot?: string;
    extraFiles?: readonly string[];
  }): Promise<ImageCatalog> {
    const repoRoot = opts.repoRoot ?? findRepoRoot();
    const repoPath = REPO_CATALOG(repoRoot);
    const userPath = USER_CATALOG(opts.dataDir);
    const base = parseCatalog(await readFile(repoPath, 'utf8'), repoPath, repoRoot);
    const userText = await readFile(userPath, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    const user = userText === undefined ? [] : parseCatalog(userText, userPath, repoRoot);
    const extra = [];
    for (const file of opts.extraFiles ?? []) {
      const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
        throw new RuntimeError('CatalogInvalid', `--image-catalog ${file}: ${e.message}`);
      });
      extra.push(...parseCatalog(text, file, repoRoot));
    }
    return new ImageCatalog([...extra, ...user, ...base], userPath);
  }

  /** Throws ImageNotFoundError (the kubelet's ErrImagePull) when nothing matches. */
  resolve(reference: string): ResolvedImage {
    const entry = this.entries.find((e) => patternMatches(e.pattern, reference));
    if (!entry) throw new ImageNotFoundError(reference, this.userCatalogPath);
    let recipe = entry;
    for (let hops = 0; recipe.sameAs !== undefined; hops++) {
      const target = this.entries.find((e) => e.pattern === recipe.sameAs);
      if (!target || hops > 8) {
        throw new RuntimeError(
          'CatalogInvalid',
          `catalog entry ${entry.pattern}: sameAs ${recipe.sameAs} not found`,
        );
      }
      recipe = target;
    }
    return {
      reference,
      pattern: entry.pattern,
      entrypoint: recipe.entrypoint,
      cmd: recipe.cmd,
      env: recipe.env,
      ...(recipe.workingDir !== undefined && { workingDir: recipe.workingDir }),
      ...(recipe.user !== undefined && { user: recipe.user }),
      stopSignal: recipe.stopSignal,
      packages: recipe.packages,
    };
  }
}
