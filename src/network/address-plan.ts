/**
 * The cluster's address plan, from the two ranges a user may choose (`podbay server --pod-cidr
 * --service-cidr`), with every address derived from them in one place: the bridge gateway (first
 * pod address), the `kubernetes` Service (first service address, as kube-apiserver) and the
 * cluster DNS Service (the tenth, as kubeadm). The plan is fixed for a data dir's life: Services
 * and pod IPs already stored were allocated from it, so a different plan on a later start is
 * refused with the flag at fault (start with a fresh --data-dir instead).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Cidr, intToIp, parseCidr } from './cidr.js';
import { DEFAULT_POD_CIDR, DEFAULT_SERVICE_CIDR } from './defaults.js';

export interface AddressPlan {
  readonly podCidr: string;
  readonly serviceCidr: string;
  /** The bridge's own address: pods' default route, the DNS server's and the in-cluster API's address. */
  readonly gatewayIP: string;
  readonly kubernetesServiceIP: string;
  readonly clusterDnsIP: string;
}

export class AddressPlanError extends Error {
  override readonly name = 'AddressPlanError';
  constructor(
    readonly flag: string,
    message: string,
  ) {
    super(`${flag}: ${message}`);
  }
}

/** Smallest ranges worth running: 254 pods; 16 Services (the DNS Service is the tenth address). */
const MAX_POD_PREFIX = 24;
const MAX_SERVICE_PREFIX = 28;

function range(flag: string, text: string, maxPrefix: number): Cidr {
  let c: Cidr;
  try {
    c = parseCidr(text);
  } catch (e) {
    throw new AddressPlanError(flag, (e as Error).message);
  }
  if (c.text !== text) {
    throw new AddressPlanError(flag, `${JSON.stringify(text)} has host bits set; did you mean ${c.text}?`);
  }
  if (c.bits > maxPrefix || c.bits < 8) {
    throw new AddressPlanError(flag, `${text}: the prefix length must be between /8 and /${maxPrefix}`);
  }
  return c;
}

/** The bridge's own address: the first of the pod range. */
export function gatewayOf(podCidr: string): string {
  return intToIp(parseCidr(podCidr).base + 1);
}

export function addressPlan(o: { podCidr?: string; serviceCidr?: string } = {}): AddressPlan {
  const pod = range('--pod-cidr', o.podCidr ?? DEFAULT_POD_CIDR, MAX_POD_PREFIX);
  const svc = range('--service-cidr', o.serviceCidr ?? DEFAULT_SERVICE_CIDR, MAX_SERVICE_PREFIX);
  if (pod.base < svc.base + svc.size && svc.base < pod.base + pod.size) {
    throw new AddressPlanError('--service-cidr', `${svc.text} overlaps the pod range ${pod.text}`);
  }
  return {
    podCidr: pod.text,
    serviceCidr: svc.text,
    gatewayIP: gatewayOf(pod.text),
    kubernetesServiceIP: intToIp(svc.base + 1),
    clusterDnsIP: intToIp(svc.base + 10),
  };
}

/**
 * The plan this data dir was set up with, written on its first start. Returns the plan to use;
 * throws when the requested ranges differ from the recorded ones.
 */
export function persistedAddressPlan(dataDir: string, requested: AddressPlan): AddressPlan {
  const file = join(dataDir, 'address-plan.json');
  if (!existsSync(file)) {
    writeFileSync(
      file,
      `${JSON.stringify({ podCidr: requested.podCidr, serviceCidr: requested.serviceCidr })}\n`,
    );
    return requested;
  }
  const recorded = JSON.parse(readFileSync(file, 'utf8')) as { podCidr: string; serviceCidr: string };
  for (const [flag, key] of [
    ['--pod-cidr', 'podCidr'],
    ['--service-cidr', 'serviceCidr'],
  ] as const) {
    if (recorded[key] !== requested[key]) {
      throw new AddressPlanError(
        flag,
        `${requested[key]} differs from ${recorded[key]}, which this data dir (${dataDir}) was set up with; ` +
          'use a new --data-dir for a different range',
      );
    }
  }
  return requested;
}

/** kubeadm's plan: 10.244.0.0/16 pods, 10.96.0.0/12 Services (kubernetes .1, cluster DNS .10). */
export const DEFAULT_ADDRESS_PLAN: AddressPlan = addressPlan();
