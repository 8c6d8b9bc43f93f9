/**
 * The per-pod /etc/hosts and /etc/resolv.conf, written the way kubelet writes them
 * (pkg/kubelet/kubelet_pods.go `managedHostsFileContent`, pkg/kubelet/network/dns/dns.go).
 * Pure functions: the caller supplies nameservers, searches and options (kubelet's DNS policy).
 */

export interface HostsFileInput {
  podIP: string;
  hostname: string;
  /** `<subdomain>.<namespace>.svc.<cluster domain>` when the pod has a subdomain. */
  hostDomain?: string;
  hostAliases?: { ip: string; hostnames: string[] }[];
}

export function renderHostsFile(input: HostsFileInput): string {
  let out =
    '# Kubernetes-managed hosts file.\n' +
    '127.0.0.1\tlocalhost\n' +
    '::1\tlocalhost ip6-localhost ip6-loopback\n' +
    'fe00::0\tip6-localnet\n' +
    'fe00::0\tip6-mcastprefix\n' +
    'fe00::1\tip6-allnodes\n' +
    'fe00::2\tip6-allrouters\n';
  out += input.hostDomain
    ? `${input.podIP}\t${input.hostname}.${input.hostDomain}\t${input.hostname}\n`
    : `${input.podIP}\t${input.hostname}\n`;
  if (input.hostAliases && input.hostAliases.length > 0) {
    out += '\n# Entries added by HostAliases.\n';
    for (const a of input.hostAliases) out += `${a.ip}\t${a.hostnames.join('\t')}\n`;
  }
  return out;
}

export interface ResolvConfInput {
  servers: string[];
  searches: string[];
  options: string[];
}

/** glibc reads at most 6 search domains historically; kubelet warns past 32 and truncates. */
const MAX_SEARCH_DOMAINS = 32;

export function renderResolvConf(input: ResolvConfInput): string {
  let out = '';
  const searches = input.searches.slice(0, MAX_SEARCH_DOMAINS);
  if (searches.length > 0) out += `search ${searches.join(' ')}\n`;
  for (const s of input.servers) out += `nameserver ${s}\n`;
  if (input.options.length > 0) out += `options ${input.options.join(' ')}\n`;
  return out;
}
