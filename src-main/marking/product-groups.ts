// Chestny Znak product groups: the True API group id (groupIds in a codes/check answer), the short name
// the national system uses, how a unit code of the group is laid out, and which price and date rules
// apply. Reference: ../shared/reference/marking-codes.md §3.1 (rules), §3.3 (ids), §4.1 (layouts).
//
// Layouts come from the reference table (lamoda/datamatrix-validator, chz-emulator SUZ templates). Where a
// group is issued in two templates (short 93 vs long 91+92) both are listed. The list of groups is not
// complete (the national list runs to id 59): a code of a group not listed here still parses, with no
// group named, and the online check decides.

/** One element after the serial: AI and value length. 'rest' (92) runs to the end of the code. */
export interface TailElement {
  ai: string;
  length: number;
}

export interface CodeLayout {
  /** Length of the AI 21 serial. */
  serialLength: number;
  /** Elements that must follow the serial, in this order when separators are rebuilt. */
  tail: readonly TailElement[];
  /** Elements that may follow the tail (fixed lengths; 240 is variable and only accepted last). */
  optional: readonly TailElement[];
}

/** What the group's price fields mean (§3.1 rule 9). */
export interface PriceRule {
  /** 'maximum': price above mrp blocks; 'minimum': price below mrp blocks; null: mrp is not used. */
  mrp: 'maximum' | 'minimum' | null;
  /** smp (ЕМЦ) is a minimum price. */
  smpMinimum: boolean;
  /** false where the reference marks the rule UNCONFIRMED. */
  confirmed: boolean;
}

export interface ProductGroup {
  id: number;
  short: string;
  nameRu: string;
  nameEn: string;
  /** GS1 layouts of a unit code (01 + 21 + tail). Empty for groups known only by their special codes. */
  layouts: readonly CodeLayout[];
  /** The 29-character pack code without AIs (GTIN14 + serial7 + MRP4 + crypto4) is issued to the group. */
  packCode: boolean;
  /** The group's block code: 01 + 21 serial7 + 8005 MRP + 93. */
  blockCode: boolean;
  price: PriceRule;
  /** Goods with a shelf life the national system reports (expireDate). UNCONFIRMED except milk. */
  dated: boolean;
}

const SHORT_93: TailElement[] = [{ ai: '93', length: 4 }];
const LONG_44: TailElement[] = [{ ai: '91', length: 4 }, { ai: '92', length: 44 }];
const LONG_88: TailElement[] = [{ ai: '91', length: 4 }, { ai: '92', length: 88 }];

/** TN VED code (4 digits) that shoes and clothing may carry (§4.1). */
const AI_240: TailElement = { ai: '240', length: 4 };
/** Expiry date YYMMDD, production date YYMMDD, expiry with time YYMMDDhhmm: seen on dairy labels. */
const DATES: TailElement[] = [{ ai: '17', length: 6 }, { ai: '11', length: 6 }, { ai: '7003', length: 10 }];
/** Net weight in kg, 3 decimals (variable-weight dairy and others). */
const NET_WEIGHT: TailElement = { ai: '3103', length: 6 };

function layout(serialLength: number, tail: TailElement[], optional: TailElement[] = []): CodeLayout {
  return { serialLength, tail, optional };
}

const NO_PRICE: PriceRule = { mrp: null, smpMinimum: false, confirmed: true };

function group(
  id: number,
  short: string,
  nameRu: string,
  nameEn: string,
  layouts: CodeLayout[],
  extra: Partial<Pick<ProductGroup, 'packCode' | 'blockCode' | 'price' | 'dated'>> = {},
): ProductGroup {
  return { id, short, nameRu, nameEn, layouts, packCode: false, blockCode: false, price: NO_PRICE, dated: false, ...extra };
}

export const PRODUCT_GROUPS: readonly ProductGroup[] = [
  group(1, 'lp', 'Лёгкая промышленность', 'Clothing and textiles', [layout(13, LONG_44, [AI_240])]),
  group(2, 'shoes', 'Обувь', 'Shoes', [layout(13, LONG_88, [AI_240])]),
  // Tobacco units come as the 29-char pack code; blocks as 01+21+8005+93. mrp is the maximum, smp (ЕМЦ)
  // the minimum (§3.1 rule 9, test-plan cases 5.10, 5.11, 5.24, 5.25).
  group(3, 'tobacco', 'Табачная продукция', 'Tobacco', [], {
    packCode: true, blockCode: true, price: { mrp: 'maximum', smpMinimum: true, confirmed: true },
  }),
  group(4, 'perfumery', 'Духи и туалетная вода', 'Perfumery', [layout(13, LONG_44)]),
  group(5, 'tires', 'Шины и покрышки', 'Tires', [layout(13, LONG_44)]),
  // The reference gives only "serial 20"; SUZ templates issue both tails.
  group(6, 'electronics', 'Фототехника и электроника', 'Cameras and electronics', [layout(20, LONG_44), layout(20, SHORT_93)]),
  group(8, 'milk', 'Молочная продукция', 'Dairy', [layout(6, SHORT_93, [NET_WEIGHT, ...DATES])], { dated: true }),
  group(9, 'bicycle', 'Велосипеды', 'Bicycles', [layout(13, LONG_44)]),
  group(10, 'wheelchairs', 'Кресла-коляски', 'Wheelchairs', [layout(13, LONG_44)]),
  // Minimum price for alternative tobacco: the secondary spec's test list only — UNCONFIRMED.
  group(12, 'otp', 'Альтернативная табачная продукция', 'Alternative tobacco', [layout(7, SHORT_93)], {
    price: { mrp: 'minimum', smpMinimum: false, confirmed: false },
  }),
  group(13, 'water', 'Упакованная вода', 'Packaged water', [layout(13, SHORT_93, DATES)], { dated: true }),
  group(15, 'beer', 'Пиво и пивные напитки', 'Beer', [layout(7, SHORT_93, volume())], { dated: true }),
  // Nicotine-containing: mrp is a minimum (test-plan case 5.26, a 29-char pack code).
  group(16, 'ncp', 'Никотинсодержащая продукция', 'Nicotine-containing products', [layout(7, SHORT_93)], {
    packCode: true, price: { mrp: 'minimum', smpMinimum: false, confirmed: true },
  }),
  group(17, 'bio', 'Биологически активные добавки', 'Dietary supplements', [layout(13, SHORT_93, DATES), layout(13, LONG_44)], { dated: true }),
  group(19, 'antiseptic', 'Антисептики', 'Antiseptics', [layout(13, SHORT_93, DATES), layout(13, LONG_44)], { dated: true }),
  group(20, 'petfood', 'Корма для животных', 'Pet food', [layout(6, SHORT_93, DATES), layout(6, LONG_44)], { dated: true }),
  group(21, 'seafood', 'Морепродукты', 'Seafood', [layout(6, SHORT_93, DATES), layout(6, LONG_44)], { dated: true }),
  group(22, 'nabeer', 'Безалкогольное пиво', 'Non-alcoholic beer', [layout(7, SHORT_93, volume())], { dated: true }),
  group(23, 'softdrinks', 'Безалкогольные напитки', 'Soft drinks', [layout(13, SHORT_93, DATES)], { dated: true }),
  group(26, 'vetpharma', 'Ветеринарные препараты', 'Veterinary drugs', [layout(13, LONG_44)], { dated: true }),
  // SUZ templates give serial 6; an emulator's fallback gives 13 — both UNCONFIRMED.
  group(32, 'conserve', 'Консервированные продукты', 'Canned food', [layout(6, SHORT_93, DATES), layout(6, LONG_44), layout(13, SHORT_93, DATES)], { dated: true }),
  group(37, 'grocery', 'Бакалея', 'Grocery', [layout(13, SHORT_93, DATES), layout(13, LONG_44)], { dated: true }),
  // SUZ templates: short form serial 6, long form serial 13 — UNCONFIRMED.
  group(45, 'sweets', 'Кондитерские изделия', 'Confectionery', [layout(6, SHORT_93, DATES), layout(13, LONG_44)], { dated: true }),
];

/** Beer volume: AI 335y (y = decimals), 6 digits (§4.1). 3353 (litres, 3 decimals) is the usual one. */
function volume(): TailElement[] {
  return ['3350', '3351', '3352', '3353', '3354', '3355'].map((ai) => ({ ai, length: 6 }));
}

/** Tobacco block (§4.1): serial 7, ⟨GS⟩ 8005 + MRP 6 digits in kopecks, ⟨GS⟩ 93 + 4. 43 chars with GS. */
export const BLOCK_LAYOUT: CodeLayout = layout(7, [{ ai: '8005', length: 6 }, { ai: '93', length: 4 }]);

/** Every GS1 layout a group's codes may have, the block layout included. */
export function layoutsOf(g: ProductGroup): readonly CodeLayout[] {
  return g.blockCode ? [...g.layouts, BLOCK_LAYOUT] : g.layouts;
}

const BY_ID = new Map(PRODUCT_GROUPS.map((g) => [g.id, g]));
const BY_SHORT = new Map(PRODUCT_GROUPS.map((g) => [g.short, g]));

export function groupById(id: number): ProductGroup | undefined {
  return BY_ID.get(id);
}

export function groupByShort(short: string): ProductGroup | undefined {
  return BY_SHORT.get(short);
}

/** Short names of groups, in table order, for the ids a check answer reported; unknown ids as "group<N>". */
export function groupShortNames(ids: readonly number[]): string[] {
  return ids.map((id) => BY_ID.get(id)?.short ?? `group${id}`);
}
