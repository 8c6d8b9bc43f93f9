/**
 * The NetworkPolicy enforcer: keeps `table ip podbay-policy` in step with NetworkPolicies, Pods
 * and Namespaces (their labels), as a CNI's policy agent (Calico's Felix, Cilium's agent) does.
 * It is the only writer of that table.
 *
 * Lifecycle (the service proxy's):
 *   start   → first full sync from the (already started) shared mirror: the table is rebuilt
 *             from the store, whatever a previous run left
 *   change  → debounced (`debounceMs`, default 100 ms) sync; never two at once, and changes
 *             during a sync trigger exactly one more
 *   resync  → every `resyncMs` the table is re-applied even if unchanged (repairs a table
 *             someone flushed or deleted)
 *   stop    → no more syncs; with `teardown` the table is deleted. Safe to call twice.
 *
 * Each sync is one `nft -f` transaction that replaces the whole table (model.ts → ruleset.ts);
 * with no NetworkPolicy at all the table is deleted, so a node without policies pays nothing.
 */
import type { Namespace, Pod } from 'kubernetes-types/core/v1';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1';
import type { ObjectMirror } from '../object-mirror.js';
import { type HostCommands, runCommand } from '../proxy/nft.js';
import { clusterDnsPeer, computeEnforcementPlan, type EnforcementPlan } from './model.js';
import { POLICY_NFT_TABLE, policyTransaction, renderPolicyRuleset } from './ruleset.js';

export { POLICY_NFT_TABLE };

export interface PolicyEnforcerOptions {
  /** The bridge gateway, where the cluster DNS listens (the DNS pseudo-pod's address). */
  gatewayIP: string;
  table?: string;
  debounceMs?: number;
  /** 0 disables the periodic re-apply. */
  resyncMs?: number;
  commands?: HostCommands;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface PolicyEnforcerDeps {
  /** Pods, Namespaces and NetworkPolicies, started and stopped by its owner. */
  mirror: ObjectMirror;
}

export class NetworkPolicyEnforcer {
  readonly #mirror: ObjectMirror;
  readonly #table: string;
  readonly #o: Required<Pick<PolicyEnforcerOptions, 'debounceMs' | 'resyncMs' | 'commands'>> &
    PolicyEnforcerOptions;
  #unsubscribe: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #resync: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  /** The text last applied; '' when the table was deleted; undefined before the first sync. */
  #lastApplied: string | undefined;
  #syncs = 0;

  constructor(deps: PolicyEnforcerDeps, o: PolicyEnforcerOptions) {
    this.#mirror = deps.mirror;
    this.#o = { debounceMs: 100, resyncMs: 30_000, commands: { prefix: [] }, ...o };
    this.#table = o.table ?? POLICY_NFT_TABLE;
  }

  /** How many transactions were applied (for tests and metrics). */
  get syncCount(): number {
    return this.#syncs;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    this.#unsubscribe?.();
    this.#unsubscribe = this.#mirror.onChange(() => this.#schedule());
    await this.syncNow(true);
    if (this.#o.resyncMs > 0)
      this.#resync = setInterval(() => void this.syncNow(true).catch(() => {}), this.#o.resyncMs);
  }

  async stop(opts: { teardown?: boolean } = {}): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    clearTimeout(this.#timer);
    clearInterval(this.#resync);
    this.#timer = undefined;
    await this.#running?.catch(() => {});
    if (opts.teardown) {
      await runCommand(this.#o.commands, ['nft', 'delete', 'table', 'ip', this.#table]).catch(() => {});
      this.#lastApplied = undefined;
    }
  }

  /** What the current objects compile to (what the next sync applies). */
  plan(): EnforcementPlan {
    return computeEnforcementPlan({
      policies: this.#mirror.list('networkpolicies') as NetworkPolicy[],
      pods: this.#mirror.list('pods') as Pod[],
      namespaces: this.#mirror.list('namespaces') as Namespace[],
      clusterDns: clusterDnsPeer(this.#o.gatewayIP),
    });
  }

  /** The table text for the current objects; '' when there is no policy (no table). */
  desiredRuleset(): string {
    const plan = this.plan();
    if (plan.policies.length === 0) return '';
    return renderPolicyRuleset(plan, { table: this.#table, gatewayIP: this.#o.gatewayIP });
  }

  /**
   * Applies the current state now (skipped when identical to the last applied text, unless
   * `force`). Serialised: a call during a running sync waits for it and then runs once more.
   */
  async syncNow(force = false): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#apply(force).finally(() => {
      this.#running = undefined;
      if (this.#again && !this.#stopped) {
        this.#again = false;
        void this.syncNow().catch((err) => this.#o.log?.('policy: sync failed', { error: String(err) }));
      }
    });
    return this.#running;
  }

  #schedule(): void {
    if (this.#stopped || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.syncNow().catch((err) => this.#o.log?.('policy: sync failed', { error: String(err) }));
    }, this.#o.debounceMs);
  }

  async #apply(force: boolean): Promise<void> {
    const text = this.desiredRuleset();
    if (!force && text === this.#lastApplied) return;
    await runCommand(this.#o.commands, ['nft', '-f', '-'], policyTransaction(this.#table, text));
    this.#lastApplied = text;
    this.#syncs++;
    this.#o.log?.('policy: ruleset applied', { bytes: text.length });
  }
}
