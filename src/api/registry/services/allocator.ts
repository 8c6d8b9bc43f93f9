/**
 * ClusterIP and NodePort allocation. The store is the record of what is taken (every Service's
 * spec), so there is no second bitmap to drift from it: a deleted Service frees its addresses
 * at once, and a restart needs no repair. Random picks, as upstream, so a re-created Service
 * does not silently get the address another client still caches for its predecessor.
 */
import { randomInt } from 'node:crypto';
import type { Service, ServicePort } from 'kubernetes-types/core/v1';
import { DEFAULT_ADDRESS_PLAN } from '../../../network/address-plan.js';
import { type Cidr, cidrContains, intToIp, ipToInt } from '../../../network/cidr.js';
import { NODE_PORT_RANGE } from '../../../network/defaults.js';
import type { Store } from '../../../store/sqlite-store.js';
import { type FieldError, invalidValue } from '../../validation/field.js';

export interface ServiceAllocator {
  /** Fills spec.clusterIP(s) and nodePorts of a new Service; returns errors for taken or out-of-range values. */
  allocate(svc: Service, old?: Service): FieldError[];
}

const goStrings = (v: string[]) => v;

/**
 * `reserved`: the addresses of the Services the engine makes itself (`kubernetes`, cluster DNS),
 * never handed out at random; only those Services claim them.
 */
export function newServiceAllocator(
  store: Store,
  cidr: Cidr,
  reserved: readonly string[] = [DEFAULT_ADDRESS_PLAN.kubernetesServiceIP, DEFAULT_ADDRESS_PLAN.clusterDnsIP],
): ServiceAllocator {
  const usedIPs = (exceptUid?: string): Set<string> => {
    const s = new Set<string>(reserved);
    for (const o of store.list('services')) {
      if (o.object.metadata.uid === exceptUid) continue;
      for (const ip of (o.object.spec as Service['spec'])?.clusterIPs ?? []) s.add(ip);
    }
    return s;
  };
  const usedPorts = (exceptUid?: string): Set<number> => {
    const s = new Set<number>();
    for (const o of store.list('services')) {
      if (o.object.metadata.uid === exceptUid) continue;
      for (const p of (o.object.spec as Service['spec'])?.ports ?? []) if (p.nodePort) s.add(p.nodePort);
    }
    return s;
  };

  return {
    allocate(svc, old) {
      const spec = svc.spec ?? {};
      svc.spec = spec;
      const errs: FieldError[] = [];
      const uid = svc.metadata?.uid;
      if (spec.type === 'ExternalName') return errs;
      if (old?.spec?.clusterIP && !spec.clusterIP) {
        spec.clusterIP = old.spec.clusterIP;
        spec.clusterIPs = old.spec.clusterIPs ?? [old.spec.clusterIP];
      }
      if (spec.clusterIP === 'None') {
        spec.clusterIPs = ['None'];
      } else if (!old || spec.clusterIP !== old.spec?.clusterIP) {
        const taken = usedIPs(uid);
        if (spec.clusterIP) {
          const ip = spec.clusterIP;
          // The reserved addresses (kubernetes, cluster DNS) may be claimed explicitly by their own Services.
          const isReserved = reserved.includes(ip);
          if (!cidrContains(cidr, ip)) {
            errs.push(
              invalidValue(
                'spec.clusterIPs',
                goStrings([ip]),
                `failed to allocate IP ${ip}: provided IP is not in the valid range. The range of valid IPs is ${cidr.text}`,
              ),
            );
          } else if (
            taken.has(ip) &&
            !(
              isReserved &&
              !store
                .list('services')
                .some(
                  (o) =>
                    (o.object.spec as Service['spec'])?.clusterIP === ip && o.object.metadata.uid !== uid,
                )
            )
          ) {
            errs.push(
              invalidValue(
                'spec.clusterIPs',
                goStrings([ip]),
                `failed to allocate IP ${ip}: provided IP is already allocated`,
              ),
            );
          }
          spec.clusterIPs = [ip];
        } else {
          // First and last addresses of the range are network and broadcast; skip them.
          const free = cidr.size - 2 - taken.size;
          if (free <= 0) {
            errs.push(invalidValue('spec.clusterIPs', [], `failed to allocate a serviceIP: range is full`));
          } else {
            let ip = '';
            for (let tries = 0; tries < 1000 && !ip; tries++) {
              const cand = intToIp(cidr.base + 1 + randomInt(cidr.size - 2));
              if (!taken.has(cand)) ip = cand;
            }
            for (let n = cidr.base + 1; !ip && n < cidr.base + cidr.size - 1; n++)
              if (!taken.has(intToIp(n))) ip = intToIp(n);
            spec.clusterIP = ip;
            spec.clusterIPs = [ip];
          }
        }
      }
      if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
        const taken = usedPorts(uid);
        const oldPorts = old?.spec?.ports ?? [];
        (spec.ports ?? []).forEach((p: ServicePort, i) => {
          if (!p.nodePort) {
            const prev = oldPorts.find(
              (o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'),
            );
            if (prev?.nodePort) p.nodePort = prev.nodePort;
          }
          if (p.nodePort) {
            if (p.nodePort < NODE_PORT_RANGE.min || p.nodePort > NODE_PORT_RANGE.max) {
              errs.push(
                invalidValue(
                  `spec.ports[${i}].nodePort`,
                  p.nodePort,
                  `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`,
                ),
              );
            } else if (taken.has(p.nodePort) && !oldPorts.some((o) => o.nodePort === p.nodePort)) {
              errs.push(
                invalidValue(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is already allocated'),
              );
            }
            taken.add(p.nodePort);
            return;
          }
          const span = NODE_PORT_RANGE.max - NODE_PORT_RANGE.min + 1;
          for (let tries = 0; tries < span; tries++) {
            const cand = NODE_PORT_RANGE.min + ((randomInt(span) + tries) % span);
            if (!taken.has(cand)) {
              p.nodePort = cand;
              taken.add(cand);
              return;
            }
          }
          errs.push(invalidValue(`spec.ports[${i}].nodePort`, 0, 'range is full'));
        });
      } else if (spec.ports) {
        for (const p of spec.ports) delete p.nodePort;
      }
      return errs;
    },
  };
}

export { ipToInt };
