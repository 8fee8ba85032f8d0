#!/usr/bin/env node
// An emulator of Sber's sb_pilot program for tests and the demo (never shipped as a device).
// Plain Node ESM with no dependencies, so that it runs as the "program" the UPOS driver spawns:
//   node emulator-sb-pilot.mjs <command> [args…] [/q=<requestId>]
// It works in its current directory like sb_pilot: it writes the result to `e` and the slip to `p`
// in the configured encoding and prints progress and `return:N`. The exit code is always 0.
//
// Files in the working directory:
//   emulator-scenario.json  behaviour (read on every run; `faults` are consumed one per operation)
//     { "encoding": "koi8-r", "terminalId": "00689949", "merchantId": "684444445555", "workMs": 0,
//       "pinpadOffline": false,
//       "declines": [{ "amountKopecks": 1313, "code": 4451, "text": "НЕДОСТАТОЧНО СРЕДСТВ" }],
//       "faults": [{ "kind": "hang", "seconds": 30, "stage": "before" | "after-approve" },
//                  { "kind": "crash-before" }, { "kind": "crash-after-e" }, { "kind": "half-e" },
//                  { "kind": "garbage-e" }, { "kind": "busy" }] }
//   emulator-journal.json   every operation, for reports, cancel/refund by RRN and status enquiries
//   sb_pilot.lock           the pid of a running instance: a second one answers 115 (busy)
// The `e` layout follows drivers/payment/upos/result-file.ts (itself UNCONFIRMED).
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.cwd();
const SCENARIO = join(dir, 'emulator-scenario.json');
const JOURNAL = join(dir, 'emulator-journal.json');
const LOCK = join(dir, 'sb_pilot.lock');
const CARD_OPS = new Set(['1', '3', '8', '7']);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const crash = () => process.kill(process.pid, 'SIGKILL');

function readJson(path, fallback) {
  if (!existsSync(path)) return fallback;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    process.stderr.write(`emulator: ${path}: ${error.message}\n`);
    return fallback;
  }
}

function writeJson(path, value) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2));
  renameSync(tmp, path);
}

/** A text encoder for the single-byte Cyrillic code pages, built from the platform's TextDecoder. */
function encoderFor(encoding) {
  if (encoding === 'utf-8') return (text) => Buffer.from(text, 'utf8');
  const label = { cp866: 'ibm866', 'koi8-r': 'koi8-r', win1251: 'windows-1251' }[encoding];
  if (!label) throw new Error(`unknown encoding '${encoding}'`);
  const decoder = new TextDecoder(label);
  const table = new Map();
  for (let b = 0; b < 256; b++) {
    const ch = decoder.decode(Uint8Array.of(b));
    if (!table.has(ch)) table.set(ch, b);
  }
  return (text) => Buffer.from([...text].map((ch) => table.get(ch) ?? 0x3f));
}

const scenario = {
  encoding: 'koi8-r', terminalId: '00689949', merchantId: '684444445555', workMs: 0, pinpadOffline: false,
  declines: [], faults: [], lineBreak: '\n',
  ...readJson(SCENARIO, {}),
};
const encode = encoderFor(scenario.encoding);
const say = (line) => process.stdout.write(encode(`${line}\n`));
const writeText = (name, lines) => writeFileSync(join(dir, name), encode(lines.map((l) => `${l}${scenario.lineBreak}`).join('')));

const args = process.argv.slice(2);
const requestId = args.find((a) => a.startsWith('/q='))?.slice(3) ?? null;
const positional = args.filter((a) => !a.startsWith('/'));
const [command = '', ...rest] = positional;

function finish(code) {
  say(`return:${code}`);
  rmSync(LOCK, { force: true });
  process.exit(0);
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

// --- result and slip files -------------------------------------------------------------------

const pad = (n, w) => String(n).padStart(w, '0');
function stamp(d = new Date()) {
  return `${d.getFullYear()}${pad(d.getMonth() + 1, 2)}${pad(d.getDate(), 2)}${pad(d.getHours(), 2)}${pad(d.getMinutes(), 2)}${pad(d.getSeconds(), 2)}`;
}
const rub = (k) => `${Math.floor(k / 100)}.${pad(k % 100, 2)}`;
const TITLES = { purchase: 'ОПЛАТА', refund: 'ВОЗВРАТ', cancel: 'ОТМЕНА' };

function resultLines(entry) {
  if (entry.code !== 0) return [`${entry.code},${entry.text}`];
  return [
    `0,${entry.text}`, entry.cardMasked, '12/29', entry.authCode, pad(entry.n, 4), entry.cardType, '1',
    scenario.terminalId, entry.at, entry.rrn, 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678', '', '0',
    scenario.merchantId, '00', '00', '', '0', '', entry.requestId ?? '',
  ];
}

function slipLines(entry) {
  const copy = [
    'ПАО СБЕРБАНК', `${TITLES[entry.kind]}`, `Терминал: ${scenario.terminalId}`, `Дата: ${entry.at}`,
    `Сумма: ${rub(entry.amountKopecks)} руб`, `Карта: ${entry.cardType} ${entry.cardMasked ?? ''}`.trimEnd(),
  ];
  if (entry.code === 0) copy.push(`Код авторизации: ${entry.authCode}`, `RRN: ${entry.rrn}`, 'ОДОБРЕНО');
  else copy.push(`ОТКАЗ ${entry.code}`, entry.text);
  copy.push('========================================');
  return [...copy, '', `\u0001${copy[0]}`, ...copy.slice(1)];
}

// --- the journal -------------------------------------------------------------------------------

const journal = readJson(JOURNAL, []);
const saveJournal = () => writeJson(JOURNAL, journal);

function newEntry(kind, amountKopecks, fields) {
  const n = journal.length + 1;
  const entry = {
    n, kind, amountKopecks, requestId, at: stamp(), settled: false, cancelled: false, refundedKopecks: 0,
    cardMasked: '220220******1234', cardType: 'MIR', rrn: null, authCode: null, code: 0, text: 'ОДОБРЕНО', ...fields,
  };
  if (entry.code === 0) {
    entry.rrn = `${String(Date.now()).slice(-8)}${pad(n, 4)}`;
    entry.authCode = `A${pad((n * 7919) % 100000, 5)}`;
  }
  journal.push(entry);
  saveJournal();
  return entry;
}

const refusal = (code, text) => ({ code, text });
const NOT_FOUND = refusal(4118, 'ОПЕРАЦИЯ НЕ НАЙДЕНА');

function decide(kind, amount, rrn) {
  if (!Number.isSafeInteger(amount) || amount <= 0) return { fields: refusal(4100, 'НЕВЕРНАЯ СУММА') };
  if (kind === 'purchase') {
    const rule = (scenario.declines ?? []).find((d) => d.amountKopecks === amount);
    return { fields: rule ? refusal(rule.code, rule.text) : {} };
  }
  const approved = (e) => e.code === 0 && !e.cancelled;
  if (kind === 'refund') {
    const original = journal.find((e) => e.kind === 'purchase' && approved(e) && e.rrn === rrn);
    if (!original) return { fields: NOT_FOUND };
    if (amount > original.amountKopecks - original.refundedKopecks) return { fields: refusal(4108, 'СУММА ПРЕВЫШАЕТ ОСТАТОК') };
    return { fields: {}, apply: () => { original.refundedKopecks += amount; } };
  }
  // cancel: only in the open batch (before settlement); of that RRN, else of the last operation.
  const open = journal.filter((e) => e.kind !== 'cancel' && approved(e) && !e.settled);
  const target = rrn ? open.find((e) => e.rrn === rrn) : open[open.length - 1];
  if (!target) return { fields: NOT_FOUND };
  if (target.amountKopecks !== amount) return { fields: refusal(4109, 'СУММА НЕ СОВПАДАЕТ') };
  return { fields: { cardMasked: target.cardMasked, cardType: target.cardType }, apply: () => { target.cancelled = true; } };
}

// --- commands ----------------------------------------------------------------------------------

async function cardOperation(kind, fault) {
  const amount = Number(rest[0]);
  const rrn = rest[1] === '0' && rest[2] === 'QSELECT' ? rest[3] ?? null : null;
  if (fault?.kind === 'hang' && fault.stage !== 'after-approve') await sleep((fault.seconds ?? 3600) * 1000);
  say('ВСТАВЬТЕ КАРТУ');
  if (scenario.workMs > 0) await sleep(scenario.workMs);
  say('ВВЕДИТЕ ПИН');
  const { fields, apply } = decide(kind, amount, rrn);
  apply?.();
  const entry = newEntry(kind, amount, fields);
  if (fault?.kind === 'hang') await sleep((fault.seconds ?? 3600) * 1000);
  if (fault?.kind === 'half-e') {
    writeFileSync(join(dir, 'e'), encode(resultLines(entry).slice(0, 3).join(scenario.lineBreak)));
    crash();
  }
  writeText('p', slipLines(entry));
  writeText('e', resultLines(entry));
  if (fault?.kind === 'crash-after-e') crash();
  finish(entry.code);
}

function settlement() {
  const batch = journal.filter((e) => !e.settled && e.code === 0);
  const sum = (kind) => batch.filter((e) => e.kind === kind && !e.cancelled).reduce((s, e) => s + e.amountKopecks, 0);
  const count = (kind) => batch.filter((e) => e.kind === kind && !e.cancelled).length;
  for (const e of journal) e.settled = true;
  saveJournal();
  writeText('p', [
    'ПАО СБЕРБАНК', 'СВЕРКА ИТОГОВ', `Терминал: ${scenario.terminalId}`, `Дата: ${stamp()}`,
    `Оплата: ${count('purchase')} на ${rub(sum('purchase'))} руб`, `Возврат: ${count('refund')} на ${rub(sum('refund'))} руб`,
    'ИТОГИ СОВПАЛИ', '========================================',
  ]);
  writeText('e', ['0,ИТОГИ СОВПАЛИ']);
  finish(0);
}

function report(full) {
  const batch = journal.filter((e) => !e.settled);
  const lines = ['ПАО СБЕРБАНК', full ? 'КОНТРОЛЬНАЯ ЛЕНТА' : 'СВОДНЫЙ ЧЕК', `Терминал: ${scenario.terminalId}`];
  if (full) for (const e of batch) lines.push(`${pad(e.n, 4)} ${TITLES[e.kind]} ${rub(e.amountKopecks)} ${e.code === 0 ? e.rrn : `ОТКАЗ ${e.code}`}${e.cancelled ? ' ОТМЕНЕНА' : ''}`);
  lines.push(`Операций: ${batch.length}`, '========================================');
  writeText('p', lines);
  writeText('e', ['0,']);
  finish(0);
}

function status(id) {
  const entry = [...journal].reverse().find((e) => e.requestId !== null && e.requestId.toUpperCase() === String(id).toUpperCase());
  if (!entry) {
    writeText('e', [`${NOT_FOUND.code},${NOT_FOUND.text}`]);
    finish(NOT_FOUND.code);
  }
  writeText('p', slipLines(entry));
  writeText('e', resultLines(entry));
  finish(entry.code);
}

async function main() {
  if (existsSync(LOCK)) {
    const pid = Number(readFileSync(LOCK, 'utf8'));
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid)) {
      writeText('e', ['115,БИБЛИОТЕКА ЗАНЯТА']);
      say('return:115');
      process.exit(0);
    }
  }
  writeFileSync(LOCK, String(process.pid));
  let fault = null;
  if (CARD_OPS.has(command) && Array.isArray(scenario.faults) && scenario.faults.length > 0) {
    // Re-read and consume under the lock: the scenario may have been edited since we started.
    const current = readJson(SCENARIO, {});
    fault = (current.faults ?? []).shift() ?? null;
    writeJson(SCENARIO, current);
  }
  if (fault?.kind === 'crash-before') crash();
  if (fault?.kind === 'busy') {
    writeText('e', ['115,БИБЛИОТЕКА ЗАНЯТА']);
    finish(115);
  }
  if (fault?.kind === 'garbage-e') {
    writeFileSync(join(dir, 'e'), Buffer.from([0xff, 0x00, 0x13, 0x37, 0x80, 0x0a, 0xfe]));
    finish(0);
  }
  switch (command) {
    case '1': return cardOperation('purchase', fault);
    case '3': return cardOperation('refund', fault);
    case '8': return cardOperation('cancel', fault);
    case '7': return settlement();
    case '9': return report(rest[0] !== '0');
    case '26':
      writeText('e', [scenario.pinpadOffline ? '99,НЕТ СВЯЗИ С ПИНПАДОМ' : '0,ГОТОВ']);
      return finish(scenario.pinpadOffline ? 99 : 0);
    case '52': return status(rest[0] ?? '');
    default:
      writeText('e', ['1,НЕИЗВЕСТНАЯ КОМАНДА']);
      return finish(1);
  }
}

await main();
