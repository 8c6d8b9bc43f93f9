/**
 * Builds the JSON record shipped for one line: the parser's fields, then `file`, then the pod
 * metadata from the downward API under `kubernetes`. A line that does not parse is shipped with
 * its raw text as `message` and the reason as `parse_error`; a cut line carries `truncated: true`
 * and `original_bytes`; bytes that are not UTF-8 are replaced by U+FFFD and `invalid_utf8: true`.
 * Hot path: the metadata suffix is serialised once per file, not once per line.
 */
import { isUtf8 } from 'node:buffer';
import type { EnrichConfig } from '../config/types.js';
import type { SplitLine } from '../input/line-splitter.js';
import { jsonString } from '../parse/json-text.js';
import { type Fields, type LineParser, ParseFailure } from '../parse/types.js';

export interface BuiltRecord {
  readonly json: string;
  readonly parseError: boolean;
  readonly truncated: boolean;
  readonly invalidUtf8: boolean;
}

export class RecordBuilder {
  readonly #parser: LineParser;
  readonly #keepRaw: boolean;
  readonly #kubernetes: string;
  readonly #suffixes = new Map<string, string>();
  /** The parser serialises straight to JSON (and never emits `file`/`kubernetes` itself). */
  readonly #fast: boolean;

  constructor(parser: LineParser, enrich: EnrichConfig, keepRaw: boolean) {
    this.#parser = parser;
    this.#fast = parser.parseToJson !== undefined;
    this.#keepRaw = keepRaw;
    this.#kubernetes = Object.keys(enrich).length > 0 ? `,"kubernetes":${JSON.stringify(enrich)}` : '';
  }

  build(line: SplitLine, path: string): BuiltRecord {
    let text = line.bytes.toString('utf8');
    let extra = '';
    const invalidUtf8 = text.includes('\uFFFD') && !isUtf8(line.bytes);
    if (invalidUtf8) extra += ',"invalid_utf8":true';
    const truncated = line.originalBytes > line.bytes.length;
    if (truncated) {
      // A cut may split a multi-byte character; drop the replacement char it leaves at the end.
      if (text.endsWith('\uFFFD')) text = text.slice(0, -1);
      extra += `,"truncated":true,"original_bytes":${line.originalBytes}`;
    }
    let parsed: Fields | string | ParseFailure;
    if (truncated) parsed = new ParseFailure('line truncated at max_line_bytes');
    else if (this.#fast) parsed = this.#parser.parseToJson!(text);
    else parsed = this.#parser.parse(text);
    let body: string;
    let parseError = false;
    if (parsed instanceof ParseFailure) {
      parseError = true;
      body = `{"message":${jsonString(text)},"parse_error":${jsonString(parsed.reason)}`;
    } else if (typeof parsed === 'string') {
      body = this.#keepRaw ? `${parsed},"message":${jsonString(text)}` : parsed;
    } else {
      body = this.#fieldsJson(parsed, text);
    }
    return { json: body + extra + this.#suffix(path), parseError, truncated, invalidUtf8 };
  }

  /** The fields as JSON without the closing brace, reserved keys removed so metadata wins once. */
  #fieldsJson(fields: Fields, text: string): string {
    if (fields.file !== undefined || fields.kubernetes !== undefined) {
      const { file: _f, kubernetes: _k, ...rest } = fields;
      fields = rest;
    }
    if (this.#keepRaw && fields.message === undefined) fields.message = text;
    const json = JSON.stringify(fields);
    return json.length === 2 ? '{"message":""' : json.slice(0, -1);
  }

  #suffix(path: string): string {
    let s = this.#suffixes.get(path);
    if (s === undefined) {
      if (this.#suffixes.size > 10_000) this.#suffixes.clear();
      s = `,"file":${JSON.stringify(path)}${this.#kubernetes}}`;
      this.#suffixes.set(path, s);
    }
    return s;
  }
}
