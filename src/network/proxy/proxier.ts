/**
 * The service proxy: keeps the node's nftables table in step with Services, EndpointSlices
 * and Pods (hostPorts), as kube-proxy's nftables mode does. It is the only writer of
 * `table ip <table>`; nothing else in podbay touches that table.
 *
 * Lifecycle:
 *   start   → route_localnet on → the SyncLoop (../sync-loop.ts: debounced syncs on change,
 *             never overlapping, a forced re-apply every `resyncMs`), whose first sync rebuilds
 *             the table from the (already started) shared mirror, whatever was there before
 *   stop    → no more syncs; with `teardown` the table is deleted and route_localnet put
 *             back as start found it. Safe to call twice.
 *
 * NodePort from the host's own 127.0.0.1 needs net.ipv4.conf.all.route_localnet=1: after the
 * output hook DNATs 127.0.0.1:NODEPORT to a pod IP, the packet still has source 127.0.0.1 and
 * leaves through the bridge, which the kernel drops as a martian unless route_localnet is on;
 * the external-… chain marks it, and postrouting masquerades it to the bridge address so the
 * pod's reply comes back through this node's conntrack.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { KubeObject } from '../../api/types.js';
import { DEFAULT_POD_CIDR } from '../defaults.js';
import type { ObjectMirror } from '../object-mirror.js';
import { SyncLoop } from '../sync-loop.js';
import { computeProxyPlan } from './model.js';
import { type HostCommands, PROXY_NFT_TABLE, runCommand } from './nft.js';
import { ROUTE_LOCALNET } from './route-localnet.js';
import { DEFAULT_MASQUERADE_MARK, type RulesetOptions, renderBlocks, renderRuleset } from './ruleset.js';
import { buildTransaction, parseLiveObjects } from './transaction.js';

export interface ServiceProxyOptions {
  table?: string;
  podCidr?: string;
  debounceMs?: number;
  /** 0 disables the periodic re-apply. */
  resyncMs?: number;
  /** Turn on route_localnet so NodePorts answer on 127.0.0.1 (see the header). */
  localhostNodePorts?: boolean;
  /**
   * Where route_localnet's value from before the first start is kept, so a start after kill -9
   * (which finds the 1 this proxy set) still restores the original on teardown.
   */
  routeLocalnetStateFile?: string;
  commands?: HostCommands;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface ServiceProxyDeps {
  /**
   * Services, EndpointSlices and Pods (SERVICE_NETWORK_RESOURCES), started by its owner before
   * `start` and stopped after `stop`: the proxy only reads and subscribes.
   */
  mirror: ObjectMirror;
}

export { PROXY_NFT_TABLE };

export class ServiceProxy {
  readonly #mirror: ObjectMirror;
  readonly #ruleset: RulesetOptions;
  readonly #o: Required<
    Pick<ServiceProxyOptions, 'debounceMs' | 'resyncMs' | 'localhostNodePorts' | 'commands'>
  > &
    ServiceProxyOptions;
  readonly #loop: SyncLoop;
  #lastApplied = '';
  #syncs = 0;
  /** route_localnet as found before start, put back on teardown (undefined: not changed). */
  #routeLocalnetBefore: string | undefined;

  constructor(deps: ServiceProxyDeps, o: ServiceProxyOptions = {}) {
    this.#mirror = deps.mirror;
    this.#o = { debounceMs: 100, resyncMs: 30_000, localhostNodePorts: true, commands: { prefix: [] }, ...o };
    this.#ruleset = {
      // Its own table: the runtime's egress rules live in `ip podbay`, and every sync flushes this one.
      table: o.table ?? PROXY_NFT_TABLE,
      podCidr: o.podCidr ?? DEFAULT_POD_CIDR,
      masqueradeMark: DEFAULT_MASQUERADE_MARK,
    };
    this.#loop = new SyncLoop({
      debounceMs: this.#o.debounceMs,
      resyncMs: this.#o.resyncMs,
      apply: (force) => this.#apply(force),
      onError: (err) => this.#o.log?.('proxy: sync failed', { error: String(err) }),
    });
  }

  /** How many transactions were applied (for tests and metrics). */
  get syncCount(): number {
    return this.#syncs;
  }

  async start(): Promise<void> {
    if (this.#o.localhostNodePorts) {
      const now = (await runCommand(this.#o.commands, ['sysctl', '-n', ROUTE_LOCALNET])).trim();
      // A restart finds the 1 its predecessor set: the value from before that is the one kept.
      this.#routeLocalnetBefore ??= this.#savedRouteLocalnet() ?? now;
      this.#saveRouteLocalnet(this.#routeLocalnetBefore);
      if (now !== '1') await runCommand(this.#o.commands, ['sysctl', '-q', '-w', `${ROUTE_LOCALNET}=1`]);
    }
    await this.#loop.start((onChange) => this.#mirror.onChange(onChange));
  }

  async stop(opts: { teardown?: boolean } = {}): Promise<void> {
    await this.#loop.stop();
    if (opts.teardown) {
      await runCommand(this.#o.commands, ['nft', 'delete', 'table', 'ip', this.#ruleset.table]).catch(
        () => {},
      );
      this.#lastApplied = '';
      if (this.#routeLocalnetBefore !== undefined && this.#routeLocalnetBefore !== '1') {
        await runCommand(this.#o.commands, [
          'sysctl',
          '-q',
          '-w',
          `${ROUTE_LOCALNET}=${this.#routeLocalnetBefore}`,
        ]).catch(() => {});
      }
      this.#routeLocalnetBefore = undefined;
      const file = this.#o.routeLocalnetStateFile;
      if (file) {
        rmSync(file, { force: true });
        try {
          rmdirSync(dirname(file)); // only when empty: the directory may hold more one day
        } catch {}
      }
    }
  }

  #savedRouteLocalnet(): string | undefined {
    const file = this.#o.routeLocalnetStateFile;
    if (!file || !existsSync(file)) return undefined;
    const v = readFileSync(file, 'utf8').trim();
    return /^[01]$/.test(v) ? v : undefined;
  }

  #saveRouteLocalnet(value: string): void {
    const file = this.#o.routeLocalnetStateFile;
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${value}\n`);
  }

  /** The text the current objects render to (what the next sync applies). */
  desiredRuleset(): string {
    return renderRuleset(this.#plan(), this.#ruleset);
  }

  /** Applies the current state now (see SyncLoop.syncNow). */
  syncNow(force = false): Promise<void> {
    return this.#loop.syncNow(force);
  }

  #plan() {
    return computeProxyPlan(
      this.#mirror.list('services') as Service[],
      this.#mirror.list<EndpointSlice & KubeObject>('endpointslices'),
      this.#mirror.list('pods') as Pod[],
    );
  }

  async #apply(force: boolean): Promise<void> {
    const plan = this.#plan();
    const text = renderRuleset(plan, this.#ruleset);
    if (!force && text === this.#lastApplied) return;
    const blocks = renderBlocks(plan, this.#ruleset);
    const live = parseLiveObjects(
      await runCommand(this.#o.commands, ['nft', '-j', 'list', 'table', 'ip', this.#ruleset.table]).catch(
        () => '',
      ),
    );
    const desired = {
      text,
      chains: blocks.filter((b) => b.kind === 'chain').map((b) => b.name),
      maps: blocks.filter((b) => b.kind === 'map').map((b) => b.name),
      sets: blocks.filter((b) => b.kind === 'set').map((b) => b.name),
    };
    await runCommand(
      this.#o.commands,
      ['nft', '-f', '-'],
      buildTransaction(this.#ruleset.table, desired, live),
    );
    this.#lastApplied = text;
    this.#syncs++;
    this.#o.log?.('proxy: ruleset applied', {
      servicePorts: plan.servicePorts.length,
      hostPorts: plan.hostPorts.length,
    });
  }
}
