// The part of papaparse (https://www.papaparse.com, MIT) that the CSV reader uses: its low-level
// `Parser`, fed one chunk at a time. Declared here rather than through @types/papaparse so that
// core keeps a single added dependency; files importing "papaparse" reference this file.
declare module "papaparse" {
  /** A parse problem papaparse reports (`MissingQuotes`, `InvalidQuotes`, ...); `row` is the record index in the chunk. */
  export interface ParseError {
    type: string;
    code: string;
    message: string;
    row?: number;
  }
  export interface ParserConfig {
    delimiter: string;
    newline: "\n" | "\r" | "\r\n";
    preview?: number;
  }
  export interface ParserResult {
    data: string[][];
    errors: ParseError[];
    /** `cursor`: characters consumed (up to the end of the last complete record), plus `baseIndex`. */
    meta: { cursor: number };
  }
  export class Parser {
    constructor(config: ParserConfig);
    /** With `ignoreLastRow`, a record that may continue in the next chunk is left unread. */
    parse(input: string, baseIndex: number, ignoreLastRow: boolean): ParserResult;
  }
  const Papa: { Parser: typeof Parser };
  export default Papa;
}
