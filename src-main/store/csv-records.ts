// A streaming CSV record reader (RFC 4180 with the usual Russian-office variations): text arrives in
// chunks, complete records come out with the physical line number they start on. Quoted fields may
// hold the delimiter, doubled quotes and line breaks. Lines without quotes take a fast path (split).

/** Longest record accepted; a catalog row is a few hundred characters. */
export const MAX_RECORD_CHARS = 1 << 20;

export interface CsvRecord {
  /** 1-based line number of the record's first line. */
  line: number;
  fields: string[];
  /** Set when the record could not be parsed (an unterminated quote at the end of the input). */
  error?: string;
}

export class CsvRecordReader {
  private buffer = '';
  private nextLine = 1;
  private started = false;

  /** delimiter: fixed, or null to detect it from the first line (';' or ','). */
  constructor(private delimiter: string | null = null) {}

  get detectedDelimiter(): string | null {
    return this.delimiter;
  }

  /** Feeds a chunk; returns the records completed by it. */
  push(chunk: string): CsvRecord[] {
    this.buffer += chunk;
    return this.drain(false);
  }

  /** Ends the input; returns the last record(s). */
  end(): CsvRecord[] {
    return this.drain(true);
  }

  private drain(final: boolean): CsvRecord[] {
    const out: CsvRecord[] = [];
    let buf = this.buffer;
    if (!this.started) {
      if (buf.length > 0 && buf.charCodeAt(0) === 0xfeff) buf = buf.slice(1);
      const firstBreak = buf.indexOf('\n');
      if (firstBreak < 0 && !final) {
        this.buffer = buf;
        return out;
      }
      if (this.delimiter === null) {
        const header = firstBreak < 0 ? buf : buf.slice(0, firstBreak);
        const semicolons = header.split(';').length - 1;
        const commas = header.split(',').length - 1;
        this.delimiter = semicolons >= commas && semicolons > 0 ? ';' : ',';
      }
      this.started = true;
    }
    const delim = this.delimiter!;
    let pos = 0;
    while (pos < buf.length) {
      const nl = buf.indexOf('\n', pos);
      if (nl < 0 && !final) break;
      const lineEnd = nl < 0 ? buf.length : nl;
      let text = buf.slice(pos, lineEnd);
      if (!text.includes('"')) {
        if (text.endsWith('\r')) text = text.slice(0, -1);
        const line = this.nextLine++;
        if (text.length > 0) out.push({ line, fields: text.split(delim) });
        pos = lineEnd + 1;
        continue;
      }
      const parsed = this.parseQuoted(buf, pos, delim, final);
      if (parsed === null) {
        if (buf.length - pos <= MAX_RECORD_CHARS) break; // needs more input
        // A quote that never closes must not pull the rest of the file into memory: report, skip a line.
        out.push({ line: this.nextLine++, fields: [], error: `record longer than ${MAX_RECORD_CHARS} characters (unterminated quoted field?)` });
        pos = lineEnd + 1;
        continue;
      }
      out.push(parsed.record);
      pos = parsed.next;
    }
    this.buffer = pos >= buf.length ? '' : buf.slice(pos);
    return out;
  }

  /** Full state machine for a record that contains quotes; null when the record is not complete yet. */
  private parseQuoted(buf: string, start: number, delim: string, final: boolean): { record: CsvRecord; next: number } | null {
    const fields: string[] = [];
    let field = '';
    let inQuotes = false;
    let atFieldStart = true;
    let breaks = 0;
    let i = start;
    while (i < buf.length) {
      const c = buf[i]!;
      if (inQuotes) {
        if (c === '"') {
          if (i + 1 >= buf.length && !final) return null; // cannot tell "" from " yet
          if (buf[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          inQuotes = false;
          i++;
          continue;
        }
        if (c === '\n') breaks++;
        field += c;
        i++;
        continue;
      }
      if (c === '"' && atFieldStart) {
        inQuotes = true;
        atFieldStart = false;
        i++;
        continue;
      }
      if (c === delim) {
        fields.push(field);
        field = '';
        atFieldStart = true;
        i++;
        continue;
      }
      if (c === '\n' || (c === '\r' && buf[i + 1] === '\n')) {
        fields.push(field);
        const line = this.nextLine;
        this.nextLine += breaks + 1;
        return { record: { line, fields }, next: c === '\n' ? i + 1 : i + 2 };
      }
      if (c === '\r' && i + 1 >= buf.length && !final) return null;
      field += c;
      atFieldStart = false;
      i++;
    }
    if (!final) return null;
    fields.push(field);
    const line = this.nextLine;
    this.nextLine += breaks + 1;
    return inQuotes
      ? { record: { line, fields, error: 'unterminated quoted field (a closing " is missing)' }, next: buf.length }
      : { record: { line, fields }, next: buf.length };
  }
}
