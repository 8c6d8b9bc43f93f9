/** A parsed line: field name → value. Values are JSON-serialisable. */
export type Fields = Record<string, unknown>;

/** Returned (not thrown) when a line does not match; the line is still shipped, raw, with this reason. */
export class ParseFailure {
  constructor(readonly reason: string) {}
}

/** Contract: neither method throws, whatever bytes the line holds. */
export interface LineParser {
  readonly name: string;
  parse(line: string): Fields | ParseFailure;
  /**
   * Optional fast path: the same fields as `parse`, already serialised as a JSON object without
   * its closing brace (`{"a":1,"b":"x"`), skipping the intermediate object.
   */
  parseToJson?(line: string): string | ParseFailure;
}
