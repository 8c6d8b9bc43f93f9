/**
 * Finds the files an input's globs match, and watches the globs' base directories so that new
 * files are found within milliseconds instead of at the next periodic scan (fluent-bit's
 * Refresh_Interval defaults to 60 s). Watching is an optimisation: the periodic scan stays the
 * source of truth, so a missed or unsupported inotify event delays, but never loses, a file.
 */
import { type FSWatcher, watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { expandGlob, globBase, globToRegExp } from './glob.js';

export interface FoundFile {
  readonly path: string;
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
}

export class Discovery {
  readonly #patterns: readonly string[];
  readonly #exclude: readonly RegExp[];
  readonly #watchers = new Map<string, FSWatcher>();
  readonly #onChange: (kind: 'rename' | 'change') => void;

  constructor(
    patterns: readonly string[],
    exclude: readonly string[],
    onChange: (kind: 'rename' | 'change') => void,
  ) {
    this.#patterns = patterns;
    this.#exclude = exclude.map(globToRegExp);
    this.#onChange = onChange;
  }

  /** Regular files matching now; vanished-while-scanning files are skipped. */
  async scan(): Promise<FoundFile[]> {
    this.#watchBases();
    const paths = new Set<string>();
    for (const pattern of this.#patterns) {
      for (const p of await expandGlob(pattern)) if (!this.#exclude.some((re) => re.test(p))) paths.add(p);
    }
    const found: FoundFile[] = [];
    for (const path of paths) {
      try {
        const st = await stat(path);
        if (st.isFile()) found.push({ path, dev: st.dev, ino: st.ino, size: st.size });
      } catch {
        // raced with a rotation; the next scan sees the new state
      }
    }
    return found;
  }

  /** Safe to call twice. */
  close(): void {
    for (const w of this.#watchers.values()) w.close();
    this.#watchers.clear();
  }

  #watchBases(): void {
    for (const pattern of this.#patterns) {
      const base = globBase(pattern);
      if (this.#watchers.has(base)) continue;
      try {
        const w = watch(base, { persistent: false }, (kind) =>
          this.#onChange(kind === 'rename' ? 'rename' : 'change'),
        );
        w.on('error', () => {
          w.close();
          this.#watchers.delete(base);
        });
        this.#watchers.set(base, w);
      } catch {
        // the directory does not exist yet; retried at the next scan
      }
    }
  }
}
