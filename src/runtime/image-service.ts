/**
 * ImageService over the catalog. "Pulling" resolves the reference and checks that the Debian
 * packages the entry names are installed (dpkg status), since an image here is a recipe run on this
 * machine's root filesystem. Pulled references are remembered for listImages/imageStatus.
 */
import { readFile, stat } from 'node:fs/promises';
import type { ImageCatalog } from './catalog.js';
import { RuntimeError } from './errors.js';
import type { ImageService, ResolvedImage } from './types.js';

const DPKG_STATUS = '/var/lib/dpkg/status';

export class MissingPackagesError extends RuntimeError {
  override readonly name = 'MissingPackagesError';
  constructor(reference: string, missing: string[]) {
    super(
      'ImageNotFound',
      `image "${reference}" needs Debian packages that are not installed: ${missing.join(', ')} ` +
        `(install them with: apt-get install ${missing.join(' ')})`,
    );
  }
}

/**
 * The installed packages, re-read only when dpkg's status file changed: it is megabytes, and every
 * container creation asks (a pod burst would otherwise parse it hundreds of times).
 */
let installedCache: { mtimeMs: number; size: number; packages: Set<string> } | undefined;

async function installedPackages(): Promise<Set<string>> {
  const st = await stat(DPKG_STATUS).catch(() => undefined);
  if (st && installedCache && installedCache.mtimeMs === st.mtimeMs && installedCache.size === st.size) {
    return installedCache.packages;
  }
  const packages = parseDpkgStatus(await readFile(DPKG_STATUS, 'utf8').catch(() => ''));
  if (st) installedCache = { mtimeMs: st.mtimeMs, size: st.size, packages };
  return packages;
}

function parseDpkgStatus(text: string): Set<string> {
  const out = new Set<string>();
  for (const stanza of text.split('\n\n')) {
    const name = /^Package: (\S+)$/m.exec(stanza)?.[1];
    if (name && /^Status: .* installed$/m.test(stanza)) out.add(name);
  }
  return out;
}

export class CatalogImageService implements ImageService {
  readonly #catalog: ImageCatalog;
  readonly #pulled = new Map<string, ResolvedImage>();

  constructor(catalog: ImageCatalog) {
    this.#catalog = catalog;
  }

  async pullImage(reference: string): Promise<ResolvedImage> {
    const image = this.#catalog.resolve(reference);
    if (image.packages.length > 0) {
      const installed = await installedPackages();
      const missing = image.packages.filter((p) => !installed.has(p));
      if (missing.length > 0) throw new MissingPackagesError(reference, missing);
    }
    this.#pulled.set(reference, image);
    return image;
  }

  async imageStatus(reference: string): Promise<ResolvedImage | undefined> {
    return this.#pulled.get(reference);
  }

  async listImages(): Promise<ResolvedImage[]> {
    return [...this.#pulled.values()];
  }
}
