// `prilavok km parse CODE [--json] [--substitute C]… [--no-rebuild]`: reads a marking code the way the
// lane does and prints what it found. A shell cannot pass GS easily, so CODE may hold the textual
// aliases (\u001d, \x1d, <GS>, {GS}, \035, ^]) or bracketed AIs. Exit 0 for a valid code, 1 for an
// invalid one (the answer is still printed), 2 for a usage error.
// `km check` (the online/offline check) is in km-check.ts; readCodeArgument() is the shared reader.
import { parseMarkingCode, type ParseOptions, type ParseResult, type ParsedCode } from '../../marking/parse-code';

const USAGE = `usage: prilavok km parse CODE [--json] [--substitute C]... [--no-rebuild] [--strict]
       prilavok km check CODE [--api URL] [--key KEY] [--lm URL] [--price KOPECKS] [--return] [--json]
  CODE may carry GS as \\u001d, \\x1d, <GS>, {GS}, \\035 or ^], or AIs in brackets: (01)…(21)…(93)…
  exit 0: a valid code; 1: not a marking code (reason printed); 2: usage error
`;

export interface CodeArgument {
  code: string;
  options: ParseOptions;
  json: boolean;
  /** Arguments this reader did not know (a subcommand's own flags). */
  rest: string[];
}

/** Reads CODE and the parse flags from argv (after the subcommand). Null when CODE is missing. */
export function readCodeArgument(argv: readonly string[]): CodeArgument | null {
  let code: string | null = null;
  const substitutes: string[] = [];
  const options: ParseOptions = {};
  let json = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--no-rebuild') options.rebuild = false;
    else if (a === '--strict') options.strictLayouts = true;
    else if (a === '--substitute' && argv[i + 1] !== undefined) substitutes.push(argv[++i]!);
    else if (code === null && !a.startsWith('--')) code = a;
    else rest.push(a);
  }
  if (code === null) return null;
  if (substitutes.length > 0) options.substitutes = substitutes;
  return { code, options, json, rest };
}

/** Parse + restore, as the lane does it: for `km parse` and `km check`. */
export function readMarkingCodeArgument(code: string, options: ParseOptions = {}): ParseResult {
  return parseMarkingCode(code, options);
}

/** The printed form: snake_case keys, GS shown as \u001d so the line can be pasted back. */
export function describeParse(result: ParseResult): Record<string, unknown> {
  if (!result.valid) return { valid: false, error: result.error.code, message: result.error.message.en, message_ru: result.error.message.ru, details: result.error.details };
  const one = (p: ParsedCode) => ({
    valid: true,
    groups: p.groups,
    gtin: p.gtin,
    serial: p.serial,
    cis: p.cis,
    code: p.code.replaceAll('\u001d', '\\u001d'),
    package_kind: p.packageKind,
    mrp_kopecks: p.mrpKopecks,
    expiry: p.expiry,
    tail: p.tail,
    rebuilt: p.rebuilt,
    steps: p.steps,
  });
  return { ...one(result), alternatives: result.alternatives.map(one) };
}

export async function kmCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'check') {
    const { kmCheckCommand } = await import('./km-check');
    return kmCheckCommand(rest);
  }
  if (sub !== 'parse') {
    process.stderr.write(USAGE);
    return 2;
  }
  const arg = readCodeArgument(rest);
  if (arg === null || arg.rest.length > 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const result = readMarkingCodeArgument(arg.code, arg.options);
  const out = describeParse(result);
  if (arg.json) {
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    for (const [key, value] of Object.entries(out)) {
      if (key === 'alternatives' && Array.isArray(value) && value.length === 0) continue;
      process.stdout.write(`${key.padEnd(14)} ${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
    }
  }
  return result.valid ? 0 : 1;
}
