/**
 * ImageService over the catalog. "Pulling" resolves the reference and checks that the Debian
 * packages the entry names are installed (dpkg status), since an image here is a recipe run on this
 * machine's root filesystem. Pulled references are remembered for listImages/imageStatus.
 */
import { readFile } from 'node:fs/promises';
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

async function installedPackages(): Promise<Set<string>> {
  const text = await readFile(DPKG_STATUS, 'utf8').catch(() => '');
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
