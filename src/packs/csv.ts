/** One CSV record with the 1-based line on which it starts. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

/** A CSV syntax error (an unterminated quoted field, a stray quote) at a line. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/**
 * Parses CSV text as RFC 4180 says: comma-separated fields, records ending in CRLF or
 * LF, fields in double quotes may hold commas, quotes (doubled: `""`) and line breaks.
 * A leading byte-order mark is dropped; a final line break does not start a record,
 * and blank lines are skipped. Throws {@link CsvSyntaxError} on malformed quoting.
 */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quotedField = false;
  const endField = () => {
    fields.push(field);
    field = '';
    quotedField = false;
  };
  const endRecord = () => {
    const blank = fields.length === 0 && field === '' && !quotedField;
    endField();
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '"' && field === '' && !quotedField) {
      // A quoted field: read up to the closing quote.
      const start = line;
      i++;
      for (;;) {
        if (i >= src.length) throw new CsvSyntaxError(start, 'a quoted field is not closed');
        const q = src[i]!;
        if (q === '"') {
          if (src[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\r' && src[i + 1] === '\n') {
          i++; // CRLF inside a quoted field reads as LF
          continue;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      quotedField = true;
      const next = src[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new CsvSyntaxError(
          line,
          'text after a closing quote (double a quote inside a quoted field: "")',
        );
      }
      continue;
    }
    if (c === ',') {
      endField();
      i++;
    } else if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      if (c === '"')
        throw new CsvSyntaxError(line, 'a quote inside an unquoted field (quote the whole field)');
      field += c;
      i++;
    }
  }
  if (field !== '' || fields.length > 0 || quotedField) endRecord();
  return records;
}
