// Authorities that can block a marked item (isBlocked + ogvs[] in a check answer, reference §1.3 and
// §3.1 rule 5), with the names the cashier and the buyer know them by.

export const OGV_NAMES: Readonly<Record<string, { ru: string; en: string }>> = {
  RAR: { ru: 'Росалкогольтабакконтроль', en: 'Federal alcohol and tobacco regulator (RAR)' },
  FTS: { ru: 'ФТС', en: 'Federal Customs Service (FTS)' },
  FNS: { ru: 'ФНС', en: 'Federal Tax Service (FNS)' },
  RSHN: { ru: 'Россельхознадзор', en: 'Rosselkhoznadzor (RSHN)' },
  RPN: { ru: 'Роспотребнадзор', en: 'Rospotrebnadzor (RPN)' },
  MVD: { ru: 'МВД', en: 'Ministry of Internal Affairs (MVD)' },
  RZN: { ru: 'Росздравнадзор', en: 'Roszdravnadzor (RZN)' },
  // Cancelled veterinary certificate (ВСД, test-plan case 5.23).
  VETRF: { ru: 'ВетИС (Россельхознадзор)', en: 'VetIS veterinary certificates (VETRF)' },
  // Permit documents (РД) found void or terminated (test-plan case 5.22).
  RD: { ru: 'разрешительная документация', en: 'permit documents (RD)' },
  FSSP: { ru: 'ФССП', en: 'Bailiffs service (FSSP)' },
};

/** Names of the blocking authorities, an unknown code shown as it came. */
export function ogvNames(ogvs: readonly string[]): { ru: string[]; en: string[] } {
  const known = ogvs.map((code) => OGV_NAMES[code.trim().toUpperCase()] ?? { ru: code, en: code });
  return { ru: known.map((n) => n.ru), en: known.map((n) => n.en) };
}
