/**
 * Object name rules, as apimachinery's ValidateNameFunc family: each kind picks one. `prefix`
 * is true when checking a generateName, which may end in '-' because random characters follow.
 */
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain } from './strings.js';

export type NameValidator = (name: string, prefix: boolean) => string[];

/**
 * Upstream's maskTrailingDash: a generateName may end in '-', so that dash is replaced before
 * the check. (Upstream drops the character before the dash too; we keep that quirk so the same
 * prefixes pass and fail.)
 */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

export const nameIsDNSSubdomain: NameValidator = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);

export const nameIsDNSLabel: NameValidator = (name, prefix) =>
  isDNS1123Label(prefix ? maskTrailingDash(name) : name);

export const nameIsDNS1035Label: NameValidator = (name, prefix) =>
  isDNS1035Label(prefix ? maskTrailingDash(name) : name);

/** Namespaces are DNS labels (ValidateNamespaceName). */
export const validateNamespaceName: NameValidator = nameIsDNSLabel;

/** Services are RFC 1035 labels: their names become DNS names and env var prefixes. */
export const validateServiceName: NameValidator = nameIsDNS1035Label;

/**
 * apiserver's path.IsValidPathSegmentName, for kinds whose names are only URL path segments
 * (Events): not `.` or `..`, no `/`, no `%` (each reported on its own).
 */
export const validatePathSegmentName: NameValidator = (name, prefix) => {
  if (!prefix && (name === '.' || name === '..')) return [`may not be '${name}'`];
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
};
