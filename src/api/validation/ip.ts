/**
 * IP address checks with upstream's messages (util/validation IsValidIP, core's
 * ValidateNonSpecialIP): addresses that must reach a real pod, node or external host.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { type FieldError, invalidValue } from './field.js';

export const INVALID_IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

export function validateIP(value: string, path: string): FieldError[] {
  return isIPv4(value) || isIPv6(value) ? [] : [invalidValue(path, value, INVALID_IP_MSG)];
}

/** Why `ip` cannot be an endpoint or external IP (unspecified, loopback, link-local), if it cannot. */
function specialIPProblem(ip: string): string | undefined {
  const lower = ip.toLowerCase();
  const v4 = isIPv4(ip);
  if (ip === '0.0.0.0' || lower === '::') return 'may not be unspecified (0.0.0.0)';
  if ((v4 && ip.startsWith('127.')) || lower === '::1')
    return 'may not be in the loopback range (127.0.0.0/8, ::1/128)';
  if ((v4 && ip.startsWith('169.254.')) || (!v4 && /^fe[89ab]/.test(lower))) {
    return 'may not be in the link-local range (169.254.0.0/16, fe80::/10)';
  }
  if ((v4 && ip.startsWith('224.0.0.')) || (!v4 && lower.startsWith('ff02:'))) {
    return 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)';
  }
  return undefined;
}

/** A valid IP that is also routable (ValidateNonSpecialIP follows IsValidIP upstream). */
export function validateNonSpecialIP(value: string, path: string): FieldError[] {
  const invalid = validateIP(value, path);
  if (invalid.length > 0) return invalid;
  const problem = specialIPProblem(value);
  return problem ? [invalidValue(path, value, problem)] : [];
}
