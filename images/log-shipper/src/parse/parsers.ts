/**
 * The parser table: one row per `parser:` value. JSON lines and regex-with-named-groups live here
 * because each is a few lines; the nginx formats have their own files.
 */
import type { ParserSpec } from '../config/types.js';
import { combinedParser } from './nginx-access.js';
import { nginxErrorParser, nginxParser } from './nginx-error.js';
import { type Fields, type LineParser, ParseFailure } from './types.js';

export const jsonParser: LineParser = {
  name: 'json',
  parse(line) {
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (err) {
      return new ParseFailure(`invalid JSON: ${(err as Error).message}`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      return new ParseFailure('expected a JSON object');
    return v as Fields;
  },
};

/** No parsing: the line is shipped as `message`. */
export const noneParser: LineParser = { name: 'none', parse: (line) => ({ message: line }) };

export function regexParser(pattern: string): LineParser {
  const re = new RegExp(pattern);
  return {
    name: 'regex',
    parse(line) {
      const m = re.exec(line);
      if (!m?.groups) return new ParseFailure('no match for the regex');
      const fields: Fields = {};
      for (const [k, v] of Object.entries(m.groups)) if (v !== undefined) fields[k] = v;
      return fields;
    },
  };
}

export function parserFor(spec: ParserSpec): LineParser {
  switch (spec.kind) {
    case 'nginx':
      return nginxParser;
    case 'combined':
      return combinedParser;
    case 'nginx_error':
      return nginxErrorParser;
    case 'json':
      return jsonParser;
    case 'none':
      return noneParser;
    case 'regex':
      return regexParser(spec.pattern);
  }
}
