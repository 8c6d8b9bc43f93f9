/**
 * The families of one scrape, built from objects kept across scrapes: one `FamilyBuild` (and one
 * family object, with its series array) per exported name for as long as the name comes back, so a
 * source with thousands of single-series families (`stat_N_total`) does not make thousands of family
 * objects, arrays and map entries per scrape for the garbage collector. A family's header lines are
 * encoded once per resolution (`FamilyHeaders`) and reused by the renderer.
 *
 * Contract (the mapper's): the families handed out by one scrape are valid until the next begin().
 */
import type { MetricType } from '../rules/rule.js';
import type { FamilyHeaders, MetricFamily, Series } from './family.js';

/** A family as the builder keeps it: the exported view with fields it rewrites each scrape. */
interface MutableFamily {
  readonly name: string;
  type: MetricType;
  help: string;
  headers: FamilyHeaders | undefined;
  readonly series: Series[];
}

export interface FamilyBuild {
  readonly family: MetricFamily;
  /** Label names of the first series claimed this scrape; the rest must match. */
  labelSignature: string;
  /** Series placed this scrape; `family.series` is trimmed to it at the end. */
  count: number;
  /** The scrape that last claimed it. */
  epoch: number;
}

/** Above this many names, the kept builds are dropped and rebuilt (a source that renames endlessly). */
const KEPT_LIMIT = 100_000;

export class FamilyBuilds {
  readonly #kept = new Map<string, FamilyBuild>();
  #claimed: FamilyBuild[] = [];
  #claimedCount = 0;
  #epoch = 0;

  begin(epoch: number): void {
    if (this.#kept.size >= KEPT_LIMIT) this.#kept.clear();
    this.#epoch = epoch;
    this.#claimedCount = 0;
  }

  /** The build `name` was claimed into this scrape, if any. */
  current(name: string): FamilyBuild | undefined {
    const build = this.#kept.get(name);
    return build !== undefined && build.epoch === this.#epoch ? build : undefined;
  }

  /** Claims `name` for this scrape with the type, HELP and label names of its first series. */
  claim(
    name: string,
    type: MetricType,
    help: string,
    headers: FamilyHeaders | undefined,
    labelSignature: string,
  ): FamilyBuild {
    let build = this.#kept.get(name);
    if (build === undefined) {
      const family: MutableFamily = { name, type, help, headers, series: [] };
      build = { family, labelSignature, count: 0, epoch: this.#epoch };
      this.#kept.set(name, build);
    } else {
      const family = build.family as MutableFamily;
      family.type = type;
      family.help = help;
      family.headers = headers;
      build.labelSignature = labelSignature;
      build.count = 0;
      build.epoch = this.#epoch;
    }
    this.#claimed[this.#claimedCount++] = build;
    return build;
  }

  /** This scrape's families in the order they were claimed, each trimmed to its series. */
  finish(): MetricFamily[] {
    const families: MetricFamily[] = new Array(this.#claimedCount);
    for (let i = 0; i < this.#claimedCount; i++) {
      const build = this.#claimed[i]!;
      const series = build.family.series;
      if (series.length !== build.count) series.length = build.count;
      families[i] = build.family;
    }
    // Do not keep last scrape's claims reachable through the spare slots.
    if (this.#claimed.length > this.#claimedCount) this.#claimed.length = this.#claimedCount;
    return families;
  }
}
