// The emulator hands out the FN's TLV of the latest 1000 documents: the state file keeps 64, an
// append-only side file the rest, across a restart and a compaction.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShtrihDevice, TLV_DOCUMENTS_ARCHIVED } from '../../../../drivers/fiscal/shtrih/emulator-device';
import { loadState, TlvArchive } from '../../../../drivers/fiscal/shtrih/emulator-state';
import { CMD, decodeAnswer, encodeRequest } from '../../../../drivers/fiscal/shtrih/commands';
import { decodeDocumentTlv } from '../../../../drivers/fiscal/shtrih/tlv';

function open(file: string) {
  const d = new ShtrihDevice(loadState(file), { stateFile: file, now: () => Date.parse('2026-03-01T06:00:00Z'), ofdAckMs: null });
  const run = (code: number, values: Record<string, unknown> = {}) => decodeAnswer(d.execute(encodeRequest(code, { password: 30, ...values } as never)).answer);
  const readTlv = (fd: number) => {
    const head = run(CMD.requestDocumentTlv, { fdNumber: fd });
    if (head.error !== 0) return head.error;
    const parts: number[] = [];
    while (parts.length < Number(head.values.documentLength)) parts.push(...(run(CMD.readDocumentTlvBlock).values.block as Uint8Array));
    return decodeDocumentTlv(Uint8Array.from(parts));
  };
  return { d, run, readTlv };
}

describe('the emulator’s archive of document TLVs', () => {
  it('keeps far more than the state file’s 64, across a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prilavok-tlv-'));
    try {
      const file = join(dir, 'state.json');
      const { run } = open(file);
      run(CMD.openShift);
      for (let i = 0; i < 100; i++) { run(CMD.zReport); run(CMD.openShift); } // FD 2 … 202
      const state = loadState(file);
      expect(state.documents.filter((x) => x.tlv).length).toBeLessThanOrEqual(65);
      expect(JSON.stringify(state).length).toBeLessThan(80_000);
      const again = open(file); // a power cycle: memory gone, files stay
      expect(again.readTlv(2)).toMatchObject({ 1040: 2 });
      expect(again.readTlv(150)).toMatchObject({ 1040: 150 });
      expect(again.readTlv(202)).toMatchObject({ 1040: 202 });
      expect(again.readTlv(1)).toBe(0x08); // the registration report never had one here
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds the latest N, the last line for an FD winning, and compacts its file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prilavok-tlv-'));
    try {
      const file = join(dir, 'a.tlv');
      const a = new TlvArchive(file, 3);
      for (let fd = 1; fd <= 5; fd++) a.append(fd, `0${fd}`);
      a.append(5, 'ff'); // a document written again after a power cut took the first one's line
      expect([1, 2, 3, 4, 5].map((fd) => a.get(fd))).toEqual([undefined, undefined, '03', '04', 'ff']);
      expect(readFileSync(file, 'utf8').trim().split('\n').length).toBe(3); // compacted at 6 lines
      const b = new TlvArchive(file, 3);
      expect([3, 4, 5].map((fd) => b.get(fd))).toEqual(['03', '04', 'ff']);
      expect(existsSync(`${file}.tmp`)).toBe(false);
      expect(TLV_DOCUMENTS_ARCHIVED).toBe(1_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
