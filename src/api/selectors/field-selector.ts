/**
 * Field selectors (`metadata.name=web,status.phase!=Running`), as apimachinery's
 * fields.ParseSelector plus the apiserver's per-kind field label conversion:
 *  - terms are split on unescaped commas; each term's operator is the first of `!=`, `==`,
 *    `=` found scanning left to right; values use `\,` `\=` `\\` escapes;
 *  - a field the resource does not support is a 400 BadRequest with upstream's text.
 * Matching reads the object through the resource's FieldTable (field-table.ts).
 */
import { badRequest } from '../errors.js';
import { type FieldTable, fieldTableFor } from './field-table.js';

export interface FieldTerm {
  readonly field: string;
  readonly op: '=' | '!=';
  readonly value: string;
}

export interface FieldSelector {
  readonly terms: readonly FieldTerm[];
  matches(obj: Record<string, unknown>): boolean;
  isEverything(): boolean;
  toString(): string;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

/** Splits on commas not preceded by an escaping backslash (upstream's splitTerms). */
function splitTerms(s: string): string[] {
  if (s.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

/** upstream's splitTerm: at each position, in order, `!=`, `==`, `=`; escapes are not special here. */
function splitTerm(term: string): [string, string, string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

/** fields.UnescapeValue, with upstream's error texts. */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') out += c;
      else throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      inSlash = false;
    } else if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') {
      // upstream formats the rune with %v, which prints its code point.
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else out += c;
  }
  if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** fields.EscapeValue. */
export const escapeFieldValue = (s: string): string => s.replace(/[\\,=]/g, (c) => `\\${c}`);

/** Syntax only: no check of which fields exist. Throws ApiError 400. */
export function parseFieldTerms(input: string): FieldTerm[] {
  const parts = splitTerms(input).sort();
  const terms: FieldTerm[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const split = splitTerm(part);
    if (!split) throw badRequest(`invalid selector: '${input}'; can't understand '${part}'`);
    const [field, op, rhs] = split;
    terms.push({ field, op: op === '!=' ? '!=' : '=', value: unescapeFieldValue(rhs) });
  }
  return terms;
}

/** The conversion step: rewrites aliases and rejects unsupported labels with upstream's text. */
function convertLabel(table: FieldTable, label: string): string {
  const aliased = table.aliases?.[label] ?? label;
  if (Object.hasOwn(table.fields, aliased) || table.acceptedOnly?.includes(aliased)) return aliased;
  if (table.custom) throw badRequest(`field label not supported: ${label}`);
  throw badRequest(
    `${JSON.stringify(label)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
  );
}

/** Parses a selector for one resource (plural), validating its fields. Throws ApiError 400. */
export function parseFieldSelector(resource: string, input: string): FieldSelector {
  const table = fieldTableFor(resource);
  const terms = parseFieldTerms(input).map((t) => ({ ...t, field: convertLabel(table, t.field) }));
  const read = (obj: Record<string, unknown>, field: string): string => table.fields[field]?.(obj) ?? '';
  return {
    terms,
    matches: (obj) => terms.every((t) => (read(obj, t.field) === t.value) === (t.op === '=')),
    isEverything: () => terms.length === 0,
    toString: () => terms.map((t) => `${t.field}${t.op}${escapeFieldValue(t.value)}`).join(','),
  };
}
