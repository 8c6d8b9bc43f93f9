/**
 * The NetworkPolicy enforcer: keeps `table ip podbay-policy` in step with NetworkPolicies, Pods
 * and Namespaces (their labels), as a CNI's policy agent (Calico's Felix, Cilium's agent) does.
 * It is the only writer of that table.
 *
 * Lifecycle: the service proxy's SyncLoop (../sync-loop.ts; debounceMs 100 ms, resyncMs 30 s),
 * the first sync rebuilding the table from the (already started) shared mirror whatever a
 * previous run left; `stop({ teardown })` also deletes the table. Safe to call twice.
 *
 * Each sync is one `nft -f` transaction that replaces the whole table (model.ts → ruleset.ts);
 * with no NetworkPolicy at all the table is deleted, so a node without policies pays nothing.
 */
import type { Namespace, Pod } from 'kubernetes-types/core/v1';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1';
import type { ObjectMirror } from '../object-mirror.js';
import { type HostCommands, runCommand } from '../proxy/nft.js';
import { SyncLoop } from '../sync-loop.js';
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
  readonly #loop: SyncLoop;
  /** The text last applied; '' when the table was deleted; undefined before the first sync. */
  #lastApplied: string | undefined;
  #syncs = 0;

  constructor(deps: PolicyEnforcerDeps, o: PolicyEnforcerOptions) {
    this.#mirror = deps.mirror;
    this.#o = { debounceMs: 100, resyncMs: 30_000, commands: { prefix: [] }, ...o };
    this.#table = o.table ?? POLICY_NFT_TABLE;
    this.#loop = new SyncLoop({
      debounceMs: this.#o.debounceMs,
      resyncMs: this.#o.resyncMs,
      apply: (force) => this.#apply(force),
      onError: (err) => this.#o.log?.('policy: sync failed', { error: String(err) }),
    });
  }

  /** How many transactions were applied (for tests and metrics). */
  get syncCount(): number {
    return this.#syncs;
  }

  async start(): Promise<void> {
    await this.#loop.start((onChange) => this.#mirror.onChange(onChange));
  }

  async stop(opts: { teardown?: boolean } = {}): Promise<void> {
    await this.#loop.stop();
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

  /** Applies the current state now (see SyncLoop.syncNow). */
  syncNow(force = false): Promise<void> {
    return this.#loop.syncNow(force);
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
