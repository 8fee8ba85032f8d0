// Marking codes for the demo catalog's marked items, in the layouts the law gives (§4.1), with the
// serial's first two characters choosing the emulated national system's answer (docs/marking.md,
// "Scenario codes": '' = a code that sells, 'SD' = already sold, 'BL' = blocked, 'NR' = not in
// circulation, 'EX' = expired …). Used by the demo documentation, the end-to-end tests and benchmarks.
import { DEMO_BARCODES } from '../store/catalog-generator';
import { encodePackMrp } from './tobacco-pack';

const GS = '\u001d';
export type DemoMarkedItem = 'milk' | 'kefir' | 'shoes' | 'cigarettes';

/** Distinct, deterministic serial characters: the scenario prefix, then the number in base 36. */
function serial(scenario: string, n: number, length: number): string {
  const tail = n.toString(36).toUpperCase().padStart(length, '0');
  return (scenario + tail.slice(scenario.length)).slice(0, length);
}

/** A crypto tail of the right length from the allowed characters (the emulator does not verify it). */
function crypto(n: number, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  let x = n * 7919 + 17;
  for (let i = 0; i < length; i++) { out += alphabet[x % alphabet.length]; x = Math.floor(x / alphabet.length) + (i + 1) * 104_729; }
  return out;
}

/** The code printed on demo item `item`, number `n` (1, 2, …), with the emulator scenario `scenario`. */
export function demoMarkingCode(item: DemoMarkedItem, n = 1, scenario = ''): string {
  const gtin = `0${DEMO_BARCODES[item]}`;
  switch (item) {
    case 'milk': case 'kefir':
      return `01${gtin}21${serial(scenario, n, 6)}${GS}93${crypto(n, 4)}`;
    case 'shoes':
      return `01${gtin}21${serial(scenario, n, 13)}${GS}91${crypto(n, 4)}${GS}92${crypto(n + 1, 88)}`;
    case 'cigarettes':
      // A 29-character pack: GTIN, serial 7, maximum retail price 250.00 ₽ (base 80), crypto 4.
      return `${gtin}${serial(scenario, n, 7)}${encodePackMrp(25_000)}${crypto(n, 4)}`;
  }
}
