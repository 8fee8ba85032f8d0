// Reading the demo register's fiscal drive from the data directory (its state file), to check the
// documents the lane really made.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeDocumentTlv } from '../../drivers/fiscal/shtrih/tlv';

/** The last receipt document on the demo register's fiscal drive, decoded from its TLV; null before there is one. */
export function lastReceipt(dataDir: string): Record<string, unknown> | null {
  try {
    const state = JSON.parse(readFileSync(join(dataDir, 'demo-fiscal-register.json'), 'utf8')) as { documents: Array<{ type: number; tlv?: string }> };
    const receipt = state.documents.filter((d) => d.type === 3 && d.tlv).at(-1);
    return receipt ? decodeDocumentTlv(Uint8Array.from(Buffer.from(receipt.tlv!, 'hex'))) : null;
  } catch {
    return null; // the emulator may be rewriting the file this very moment
  }
}


/** What the demo register printed of its X and Z reports (its "paper"), oldest first. */
export function registerTape(dataDir: string): string[] {
  try {
    return (JSON.parse(readFileSync(join(dataDir, 'demo-fiscal-register.json'), 'utf8')) as { tape?: string[] }).tape ?? [];
  } catch {
    return [];
  }
}
