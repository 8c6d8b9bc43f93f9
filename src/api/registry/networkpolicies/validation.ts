/**
 * networking/v1 NetworkPolicy validation, as pkg/apis/networking/validation (1.32):
 * ValidateNetworkPolicySpec (podSelector, each rule's ports and peers, policyTypes), with
 * upstream's messages and field paths. ObjectMeta is the registry's.
 *
 *  - a port's protocol is TCP, UDP or SCTP; a numeric port is 1-65535, an endPort ≥ port and
 *    only with a numeric port; a named port is an IANA_SVC_NAME;
 *  - a peer sets podSelector and/or namespaceSelector, or ipBlock alone;
 *  - ipBlock.cidr parses (Go's net.ParseCIDR) and every except is a strict subset of it;
 *  - at most two policyTypes, each Ingress or Egress.
 * On update, selector label values the old podSelector already broke are tolerated, as upstream's
 * ValidationOptionsForNetworking does.
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type {
  IPBlock,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
} from 'kubernetes-types/networking/v1';
import {
  type FieldError,
  forbidden,
  GoValue,
  invalidValue,
  notSupported,
  required,
} from '../../validation/field.js';
import { type LabelSelectorOptions, validateLabelSelector } from '../../validation/labels.js';
import { child, index } from '../../validation/path.js';
import { isValidPortName, isValidPortNum } from '../../validation/strings.js';
import { parseGoCidr } from './cidr.js';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];

export function validateNetworkPolicyPort(port: NetworkPolicyPort, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (port.protocol !== undefined && !PROTOCOLS.includes(port.protocol)) {
    errs.push(notSupported(child(path, 'protocol'), port.protocol, PROTOCOLS));
  }
  const endPort = port.endPort;
  if (port.port !== undefined) {
    if (typeof port.port === 'number') {
      for (const msg of isValidPortNum(port.port))
        errs.push(invalidValue(child(path, 'port'), port.port, msg));
      if (endPort !== undefined) {
        if (endPort < port.port) {
          errs.push(invalidValue(child(path, 'endPort'), endPort, 'must be greater than or equal to `port`'));
        }
        for (const msg of isValidPortNum(endPort))
          errs.push(invalidValue(child(path, 'endPort'), endPort, msg));
      }
    } else {
      if (endPort !== undefined) {
        errs.push(
          invalidValue(child(path, 'endPort'), endPort, 'may not be specified when `port` is non-numeric'),
        );
      }
      for (const msg of isValidPortName(port.port))
        errs.push(invalidValue(child(path, 'port'), port.port, msg));
    }
  } else if (endPort !== undefined) {
    errs.push(
      invalidValue(child(path, 'endPort'), endPort, 'may not be specified when `port` is not specified'),
    );
  }
  return errs;
}

export function validateIPBlock(block: IPBlock, path: string): FieldError[] {
  if (!block.cidr) return [required(child(path, 'cidr'))];
  const cidr = parseGoCidr(block.cidr);
  if (!cidr) return [invalidValue(child(path, 'cidr'), block.cidr, 'not a valid CIDR')];
  const errs: FieldError[] = [];
  for (const [i, text] of (block.except ?? []).entries()) {
    const p = index(child(path, 'except'), i);
    const except = parseGoCidr(text);
    if (!except) {
      // Upstream stops at the first except that does not parse.
      errs.push(invalidValue(p, text, 'not a valid CIDR'));
      return errs;
    }
    const inside = except.family === cidr.family && cidr.contains(except.network);
    if (!inside || cidr.bits >= except.bits)
      errs.push(invalidValue(p, text, 'must be a strict subset of `cidr`'));
  }
  return errs;
}

export function validateNetworkPolicyPeer(
  peer: NetworkPolicyPeer,
  opts: LabelSelectorOptions,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  let peers = 0;
  if (peer.podSelector) {
    peers++;
    errs.push(...validateLabelSelector(peer.podSelector, opts, child(path, 'podSelector')));
  }
  if (peer.namespaceSelector) {
    peers++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, opts, child(path, 'namespaceSelector')));
  }
  if (peer.ipBlock) {
    peers++;
    errs.push(...validateIPBlock(peer.ipBlock, child(path, 'ipBlock')));
  }
  if (peers === 0) errs.push(required(path, 'must specify a peer'));
  else if (peers > 1 && peer.ipBlock)
    errs.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

function validateSpec(np: NetworkPolicy, opts: LabelSelectorOptions): FieldError[] {
  const spec = np.spec ?? { podSelector: {} };
  const errs = validateLabelSelector(spec.podSelector, opts, 'spec.podSelector');
  for (const [i, rule] of (spec.ingress ?? []).entries()) {
    const p = index('spec.ingress', i);
    for (const [j, port] of (rule.ports ?? []).entries())
      errs.push(...validateNetworkPolicyPort(port, index(child(p, 'ports'), j)));
    for (const [j, peer] of (rule.from ?? []).entries())
      errs.push(...validateNetworkPolicyPeer(peer, opts, index(child(p, 'from'), j)));
  }
  for (const [i, rule] of (spec.egress ?? []).entries()) {
    const p = index('spec.egress', i);
    for (const [j, port] of (rule.ports ?? []).entries())
      errs.push(...validateNetworkPolicyPort(port, index(child(p, 'ports'), j)));
    for (const [j, peer] of (rule.to ?? []).entries())
      errs.push(...validateNetworkPolicyPeer(peer, opts, index(child(p, 'to'), j)));
  }
  const types = spec.policyTypes ?? [];
  if (types.length > POLICY_TYPES.length) {
    // Upstream reports &spec.PolicyTypes; field.Error dereferences it and prints it with %#v.
    const goSlice = `[]networking.PolicyType{${types.map((t) => JSON.stringify(t)).join(', ')}}`;
    errs.push(
      invalidValue('spec.policyTypes', new GoValue(goSlice), 'may not specify more than two policyTypes'),
    );
    return errs;
  }
  for (const [i, t] of types.entries()) {
    if (!POLICY_TYPES.includes(t)) errs.push(notSupported(index('spec.policyTypes', i), t, POLICY_TYPES));
  }
  return errs;
}

export function validateNetworkPolicy(np: NetworkPolicy): FieldError[] {
  return validateSpec(np, {});
}

const selectorBroken = (s: LabelSelector | undefined): boolean =>
  validateLabelSelector(s, {}, 'spec.podSelector').length > 0;

export function validateNetworkPolicyUpdate(np: NetworkPolicy, old: NetworkPolicy): FieldError[] {
  return validateSpec(np, { allowInvalidLabelValueInSelector: selectorBroken(old.spec?.podSelector) });
}
