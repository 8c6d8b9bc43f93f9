/**
 * The pod sandbox config kubelet builds (kuberuntime_sandbox.go generatePodSandboxConfig and
 * network/dns/dns.go GetPodDNS): hostname and domain, DNS by dnsPolicy, hostAliases.
 *
 * dnsPolicy:
 *  - ClusterFirst (default; ClusterFirstWithHostNet too): the cluster DNS Service IP, the search
 *    path `<ns>.svc.<domain> svc.<domain> <domain>`, `ndots:5`;
 *  - Default: the host's resolv.conf (nameservers, search, options): /etc/resolv.conf, or
 *    $PODBAY_RESOLV_CONF as kubelet's --resolv-conf;
 *  - None: only spec.dnsConfig.
 * spec.dnsConfig is then merged in: nameservers and searches appended (duplicates dropped),
 * options overriding by name, as upstream's appendDNSConfig does.
 */
import { readFileSync } from 'node:fs';
import type { Pod } from 'kubernetes-types/core/v1';
import { DEFAULT_ADDRESS_PLAN } from '../network/address-plan.js';
import { CLUSTER_DOMAIN } from '../network/defaults.js';
import type { DnsConfig, PodSandboxConfig } from '../runtime/types.js';

export interface SandboxConfigOptions {
  readonly clusterDnsIP?: string;
  readonly clusterDomain?: string;
  /** The host resolv.conf text for dnsPolicy Default (read from the file otherwise). */
  readonly hostResolvConf?: string;
  /** kubelet's --resolv-conf: the file read for dnsPolicy Default (default $PODBAY_RESOLV_CONF, /etc/resolv.conf). */
  readonly resolvConfPath?: string;
}

export function podSandboxConfig(pod: Pod, attempt: number, o: SandboxConfigOptions = {}): PodSandboxConfig {
  const m = pod.metadata ?? {};
  const spec = pod.spec ?? { containers: [] };
  const domain = o.clusterDomain ?? CLUSTER_DOMAIN;
  const config: PodSandboxConfig = {
    metadata: { name: m.name ?? '', namespace: m.namespace ?? '', uid: m.uid ?? '', attempt },
    hostname: (spec.hostname ?? m.name ?? '').slice(0, 63),
    dns: podDnsConfig(pod, o),
    shareProcessNamespace: spec.shareProcessNamespace === true,
    labels: { ...(m.labels ?? {}) },
  };
  if (spec.subdomain) config.hostDomain = `${spec.subdomain}.${m.namespace}.svc.${domain}`;
  if (spec.hostAliases?.length) {
    config.hostAliases = spec.hostAliases.map((a) => ({
      ip: a.ip ?? '',
      hostnames: [...(a.hostnames ?? [])],
    }));
  }
  return config;
}

export function podDnsConfig(pod: Pod, o: SandboxConfigOptions = {}): DnsConfig {
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const domain = o.clusterDomain ?? CLUSTER_DOMAIN;
  const namespace = pod.metadata?.namespace ?? 'default';
  let dns: DnsConfig;
  if (policy === 'None') dns = { servers: [], searches: [], options: [] };
  else if (policy === 'Default' || (policy === 'ClusterFirst' && pod.spec?.hostNetwork)) {
    dns = parseResolvConf(o.hostResolvConf ?? readHostResolvConf(o.resolvConfPath));
  } else {
    dns = {
      servers: [o.clusterDnsIP ?? DEFAULT_ADDRESS_PLAN.clusterDnsIP],
      searches: [`${namespace}.svc.${domain}`, `svc.${domain}`, domain],
      options: ['ndots:5'],
    };
  }
  const extra = pod.spec?.dnsConfig;
  if (extra) {
    dns.servers = unique([...dns.servers, ...(extra.nameservers ?? [])]);
    dns.searches = unique([...dns.searches, ...(extra.searches ?? [])]);
    const options = new Map(dns.options.map((opt) => [opt.split(':')[0] ?? opt, opt]));
    for (const opt of extra.options ?? []) {
      options.set(opt.name ?? '', opt.value !== undefined ? `${opt.name}:${opt.value}` : (opt.name ?? ''));
    }
    dns.options = [...options.values()];
  }
  return dns;
}

/** kubelet's --resolv-conf: the same file the cluster DNS forwards to (engine.ts). */
function readHostResolvConf(path?: string): string {
  try {
    return readFileSync(path ?? process.env.PODBAY_RESOLV_CONF ?? '/etc/resolv.conf', 'utf8');
  } catch {
    return '';
  }
}

/** nameserver / search / options lines of a resolv.conf (comments ignored). */
export function parseResolvConf(text: string): DnsConfig {
  const dns: DnsConfig = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const [key, ...values] = raw
      .replace(/[#;].*$/, '')
      .trim()
      .split(/\s+/);
    if (key === 'nameserver' && values[0]) dns.servers.push(values[0]);
    else if (key === 'search') dns.searches = values;
    else if (key === 'options') dns.options.push(...values);
  }
  return dns;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
