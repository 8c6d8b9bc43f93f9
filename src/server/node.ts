/**
 * This machine as the cluster's one Node: real capacity (CPUs, memory, disk under the data dir),
 * real system info (kernel, OS image, machine and boot IDs) and its addresses, so
 * `kubectl describe node` and `kubectl top node` percentages are true.
 */
import { readFileSync, statfsSync } from 'node:fs';
import os from 'node:os';
import { nowRFC3339 } from '../api/registry/util.js';
import type { KubeObject } from '../api/types.js';
import { KUBERNETES_VERSION, PODBAY_VERSION } from '../api/version.js';

const readTrim = (p: string): string => {
  try {
    return readFileSync(p, 'utf8').trim();
  } catch {
    return '';
  }
};

/** The node name: the host name, lower-cased as a DNS subdomain must be. */
export const nodeName = (): string => os.hostname().toLowerCase();

function osImage(): string {
  const rel = readTrim('/etc/os-release');
  return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(rel)?.[1] ?? 'Linux';
}

/** This machine's first non-loopback IPv4 address (the Node's InternalIP). */
export function internalIP(): string {
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export const MAX_PODS = 110;

export function buildNode(dataDir: string, now: Date): KubeObject {
  const name = nodeName();
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const fs = statfsSync(dataDir);
  const capacity = {
    cpu: String(os.availableParallelism()),
    memory: `${Math.floor(os.totalmem() / 1024)}Ki`,
    pods: String(MAX_PODS),
    'ephemeral-storage': `${Math.floor((fs.blocks * fs.bsize) / 1024)}Ki`,
  };
  const t = nowRFC3339(now);
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: t,
    lastTransitionTime: t,
    reason,
    message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': arch,
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': arch,
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'node-role.kubernetes.io/control-plane': '',
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: {},
    status: {
      capacity,
      allocatable: { ...capacity },
      conditions: [
        cond(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: internalIP() },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
      nodeInfo: {
        machineID: readTrim('/etc/machine-id'),
        systemUUID: readTrim('/sys/class/dmi/id/product_uuid') || readTrim('/etc/machine-id'),
        bootID: readTrim('/proc/sys/kernel/random/boot_id'),
        kernelVersion: os.release(),
        osImage: osImage(),
        containerRuntimeVersion: `podbay://${PODBAY_VERSION}`,
        kubeletVersion: `v${KUBERNETES_VERSION.major}.${KUBERNETES_VERSION.minor}.${KUBERNETES_VERSION.patch}`,
        kubeProxyVersion: `v${KUBERNETES_VERSION.major}.${KUBERNETES_VERSION.minor}.${KUBERNETES_VERSION.patch}`,
        operatingSystem: 'linux',
        architecture: arch,
      },
    },
  };
}
