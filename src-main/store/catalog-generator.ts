// Generated catalogs for benchmarks, demos and tests: deterministic (seeded) Russian product names,
// valid EAN-13 barcodes (GS1 check digit), realistic prices and VAT rates, ~3 % weighed goods with
// PLUs, marked goods (tobacco, dairy, shoes, water, beer, clothes) and age-restricted ones (18+).
// Output is the catalog CSV of docs/catalog-csv.md (';' delimited).
import fs from 'node:fs';
import { once } from 'node:events';
import { gtinCheckDigit } from '../domain/barcode';
import type { MarkingGroup, Unit, VatRate } from '../contract/model';
import { seededRandom } from '../../drivers/emulator-support/seeded-random';

export const CATALOG_CSV_HEADER = 'id;name;price;vat;unit;barcodes;plu;marking;age_limit;weighed';

/** A 13-digit EAN from its first 12 digits. */
export function ean13(first12: string): string {
  return first12 + String(gtinCheckDigit(first12));
}

/** Barcodes of the fixed demo items (tests and the demo lane's quick keys rely on them). */
export const DEMO_BARCODES = {
  milk: ean13('460000000001'),
  bread: ean13('460000000002'),
  water: ean13('460000000003'),
  bag: ean13('460000000004'),
  cigarettes: ean13('460000000005'),
  kefir: ean13('460000000006'),
  beer: ean13('460000000007'),
  shoes: ean13('460000000008'),
} as const;

export interface GeneratedProduct {
  id: string;
  name: string;
  /** Roubles with two decimals, as written in the CSV ("89.90"). */
  price: string;
  vat: VatRate;
  unit: Unit;
  barcodes: string[];
  plu: number | null;
  marking: MarkingGroup | null;
  ageLimit: number | null;
  weighed: boolean;
}

const DEMO_ITEMS: GeneratedProduct[] = [
  item('demo-milk', 'Молоко Простоквашино 2,5% 930 мл', '89.90', 'vat10', [DEMO_BARCODES.milk], { marking: 'dairy' }),
  item('demo-bread', 'Хлеб Бородинский 400 г', '54.00', 'vat10', [DEMO_BARCODES.bread]),
  item('demo-water', 'Вода питьевая Святой источник 1,5 л', '49.00', 'vat22', [DEMO_BARCODES.water]),
  item('demo-bag', 'Пакет-майка', '5.00', 'vat22', [DEMO_BARCODES.bag]),
  item('demo-apples', 'Яблоки Голден, кг', '149.90', 'vat10', [], { unit: 'kg', weighed: true, plu: 101 }),
  item('demo-cigarettes', 'Сигареты LD Blue', '215.00', 'vat22', [DEMO_BARCODES.cigarettes], { marking: 'tobacco', ageLimit: 18 }),
  item('demo-kefir', 'Кефир Простоквашино 1% 900 г', '79.90', 'vat10', [DEMO_BARCODES.kefir], { marking: 'dairy' }),
  item('demo-shoes', 'Кроссовки беговые, р. 42', '4990.00', 'vat22', [DEMO_BARCODES.shoes], { marking: 'shoes' }),
  item('demo-beer', 'Пиво Жигулёвское 0,5 л', '89.00', 'vat22', [DEMO_BARCODES.beer], { ageLimit: 18 }),
];

function item(id: string, name: string, price: string, vat: VatRate, barcodes: string[], extra: Partial<GeneratedProduct> = {}): GeneratedProduct {
  return { id, name, price, vat, unit: 'piece', barcodes, plu: null, marking: null, ageLimit: null, weighed: false, ...extra };
}

/** The fixed demo items (exact values), without the generated filler. */
export function demoItems(): GeneratedProduct[] {
  return DEMO_ITEMS.map((p) => ({ ...p, barcodes: [...p.barcodes] }));
}

// ---------------------------------------------------------------------------------------------

interface Category {
  weight: number;
  nouns: string[];
  brands: string[];
  variants: string[];
  sizes: string[];
  vat: VatRate[];
  roubles: [number, number];
  marking?: MarkingGroup;
  ageLimit?: number;
}

const CATEGORIES: Category[] = [
  { weight: 14, nouns: ['Молоко', 'Кефир', 'Ряженка', 'Йогурт', 'Сметана', 'Творог', 'Сыр', 'Масло сливочное', 'Простокваша', 'Снежок', 'Сырок глазированный'],
    brands: ['Простоквашино', 'Домик в деревне', 'Весёлый молочник', 'Вкуснотеево', 'Савушкин', 'Брест-Литовск', 'Село Зелёное', 'Экомилк', 'Parmalat', 'Danone', 'Алексеевское'],
    variants: ['1%', '2,5%', '3,2%', '3,5%', '5%', '9%', '15%', '20%', 'ультрапастеризованное', 'отборное', 'классический', 'фруктовый'],
    sizes: ['180 г', '200 г', '300 г', '400 г', '900 г', '930 мл', '950 мл', '1 л', '450 мл'], vat: ['vat10'], roubles: [39, 399], marking: 'dairy' },
  { weight: 8, nouns: ['Хлеб', 'Батон', 'Багет', 'Лаваш', 'Булочка', 'Сушки', 'Баранки', 'Хлебцы', 'Круассан'],
    brands: ['Коломенский', 'Хлебный дом', 'Черёмушки', 'Fazer', 'Каравай', 'Пеко', 'Дарница', 'Русский хлеб'],
    variants: ['нарезной', 'ржаной', 'пшеничный', 'с отрубями', 'Бородинский', 'Дарницкий', 'с маком', 'цельнозерновой'],
    sizes: ['250 г', '300 г', '350 г', '400 г', '500 г', '700 г'], vat: ['vat10'], roubles: [25, 149] },
  { weight: 10, nouns: ['Гречка', 'Рис', 'Макароны', 'Мука', 'Сахар', 'Соль', 'Овсяные хлопья', 'Пшено', 'Чечевица', 'Горох', 'Манка', 'Вермишель'],
    brands: ['Мистраль', 'Увелка', 'Макфа', 'Barilla', 'Шебекинские', 'Агро-Альянс', 'Националь', 'Ярмарка', 'Геркулес', 'Русский сахар'],
    variants: ['ядрица', 'круглозёрный', 'пропаренный', 'высший сорт', 'спагетти', 'перья', 'рожки', 'йодированная', 'экстра', 'в пакетиках'],
    sizes: ['400 г', '450 г', '800 г', '900 г', '1 кг', '2 кг', '5×80 г'], vat: ['vat10'], roubles: [35, 259] },
  { weight: 12, nouns: ['Вода питьевая', 'Вода минеральная', 'Сок', 'Нектар', 'Морс', 'Лимонад', 'Квас', 'Чай холодный', 'Напиток газированный', 'Энергетик'],
    brands: ['Святой источник', 'Аква Минерале', 'BonAqua', 'Добрый', 'Я', 'Rich', 'Любимый', 'Фруктовый сад', 'Ессентуки', 'Боржоми', 'Черноголовка', 'Очаковский', 'Липецкий бювет'],
    variants: ['газированная', 'негазированная', 'яблочный', 'апельсиновый', 'вишнёвый', 'мультифрукт', 'томатный', 'клюквенный', 'лимон', 'тархун', 'без сахара'],
    sizes: ['0,33 л', '0,5 л', '1 л', '1,5 л', '2 л', '5 л'], vat: ['vat22', 'vat22', 'vat22', 'vat10'], roubles: [29, 249] },
  { weight: 9, nouns: ['Шоколад', 'Конфеты', 'Печенье', 'Вафли', 'Пряники', 'Зефир', 'Мармелад', 'Пастила', 'Батончик'],
    brands: ['Алёнка', 'Бабаевский', 'Красный Октябрь', 'Рот Фронт', 'Яшкино', 'Milka', 'Kinder', 'Коркунов', 'Шармэль', 'Белёвская'],
    variants: ['молочный', 'горький 72%', 'с орехом', 'с изюмом', 'ванильный', 'клубничный', 'сливочный', 'глазированный', 'ассорти'],
    sizes: ['40 г', '90 г', '100 г', '200 г', '250 г', '300 г', '500 г'], vat: ['vat22'], roubles: [39, 599] },
  { weight: 8, nouns: ['Колбаса', 'Сосиски', 'Ветчина', 'Сардельки', 'Пельмени', 'Фарш', 'Бекон', 'Грудинка', 'Котлеты'],
    brands: ['Черкизово', 'Останкино', 'Велком', 'Микоян', 'Папа может', 'Сибирская коллекция', 'Петелинка', 'Мираторг', 'Ближние горки'],
    variants: ['Докторская', 'Молочные', 'Сервелат', 'Говяжьи', 'Куриные', 'Любительская', 'Салями', 'варёно-копчёная', 'домашние'],
    sizes: ['300 г', '400 г', '450 г', '500 г', '800 г', '1 кг'], vat: ['vat10'], roubles: [89, 899] },
  { weight: 8, nouns: ['Средство для мытья посуды', 'Стиральный порошок', 'Туалетная бумага', 'Бумажные полотенца', 'Губки', 'Мешки для мусора', 'Кондиционер для белья', 'Чистящее средство'],
    brands: ['Fairy', 'Ariel', 'Зева', 'Мистер Пропер', 'AOS', 'Миф', 'Persil', 'Lenor', 'Доместос', 'Папфикс'],
    variants: ['лимон', 'яблоко', 'автомат', 'колор', 'двухслойная', 'трёхслойная', 'свежесть', 'концентрат', 'с ручками'],
    sizes: ['450 мл', '900 мл', '1,5 кг', '3 кг', '4 шт.', '8 шт.', '20 шт.', '60 л'], vat: ['vat22'], roubles: [59, 1299] },
  { weight: 6, nouns: ['Шампунь', 'Зубная паста', 'Мыло', 'Гель для душа', 'Дезодорант', 'Крем для рук', 'Бальзам для волос', 'Туалетная вода'],
    brands: ['Чистая линия', 'Head & Shoulders', 'Colgate', 'Лесной бальзам', 'Nivea', 'Dove', 'Невская косметика', 'Бархатные ручки', 'Новая заря'],
    variants: ['для всех типов волос', 'отбеливающая', 'детское', 'увлажняющий', 'мужской', 'ромашка', 'алоэ', 'свежесть'],
    sizes: ['50 мл', '75 мл', '90 г', '100 мл', '250 мл', '400 мл'], vat: ['vat22'], roubles: [39, 899] },
  { weight: 7, nouns: ['Пиво', 'Вино', 'Водка', 'Коньяк', 'Сидр', 'Шампанское', 'Настойка'],
    brands: ['Жигулёвское', 'Балтика', 'Старый мельник', 'Абрау-Дюрсо', 'Фанагория', 'Белуга', 'Царская', 'Русский стандарт', 'Арарат', 'Кубань-Вино', 'Очаково'],
    variants: ['светлое', 'тёмное', 'нефильтрованное', 'красное сухое', 'белое полусладкое', 'брют', 'классическая', '5 звёзд', 'яблочный'],
    sizes: ['0,45 л', '0,5 л', '0,75 л', '1 л', '1,35 л'], vat: ['vat22'], roubles: [69, 2499], ageLimit: 18 },
  { weight: 3, nouns: ['Сигареты', 'Табак для кальяна', 'Сигариллы'],
    brands: ['LD', 'Winston', 'Parliament', 'Camel', 'Kent', 'Ява', 'Пётр I', 'Marlboro', 'Русский стиль', 'Rothmans'],
    variants: ['Blue', 'Silver', 'Red', 'Compact', 'Superslims', 'Золотая', 'Original', 'Night Blue', 'Club'],
    sizes: ['', '', '20 шт.', '50 г'], vat: ['vat22'], roubles: [159, 399], marking: 'tobacco', ageLimit: 18 },
  { weight: 2, nouns: ['Кроссовки', 'Ботинки', 'Туфли', 'Сапоги', 'Кеды', 'Тапочки', 'Сандалии'],
    brands: ['Ralf Ringer', 'Котофей', 'Zenden', 'Thomas Munz', 'Demix', 'Юничел', 'Обувь России'],
    variants: ['мужские', 'женские', 'детские', 'беговые', 'зимние', 'кожаные', 'летние'],
    sizes: ['р. 28', 'р. 32', 'р. 36', 'р. 38', 'р. 40', 'р. 42', 'р. 44', 'р. 46'], vat: ['vat22'], roubles: [499, 12990], marking: 'shoes' },
  { weight: 2, nouns: ['Футболка', 'Носки', 'Джинсы', 'Куртка', 'Колготки', 'Трусы'],
    brands: ['Гулливер', 'Глория Джинс', 'Омса', 'Conte', 'Брестские', 'Sela'],
    variants: ['мужская', 'женская', 'детские', 'хлопок', 'утеплённая', '40 den', 'спортивные'],
    sizes: ['р. S', 'р. M', 'р. L', 'р. XL', 'р. 23', 'р. 25', 'р. 116'], vat: ['vat22'], roubles: [99, 5990], marking: 'clothes' },
  { weight: 5, nouns: ['Чай', 'Кофе', 'Какао', 'Кофе растворимый', 'Цикорий'],
    brands: ['Майский', 'Гринфилд', 'Принцесса Нури', 'Жокей', 'Nescafé', 'Jacobs', 'Lipton', 'Ахмад', 'Московская кофейня на паяхъ', 'Золотая чаша'],
    variants: ['чёрный', 'зелёный', 'молотый', 'в зёрнах', 'с бергамотом', 'байховый', 'Gold', 'классический'],
    sizes: ['25 пак.', '100 г', '250 г', '500 г', '1 кг', '95 г'], vat: ['vat22'], roubles: [79, 1499] },
  { weight: 6, nouns: ['Консервы', 'Тушёнка', 'Горошек зелёный', 'Кукуруза', 'Шпроты', 'Сайра', 'Огурцы маринованные', 'Томаты', 'Майонез', 'Кетчуп', 'Масло подсолнечное'],
    brands: ['Бондюэль', 'Глобус', 'Главпродукт', 'Доброфлот', 'Скатерть-самобранка', 'Дядя Ваня', 'Махеевъ', 'Heinz', 'Слобода', 'Золотая семечка', 'Персона'],
    variants: ['нежный', 'сладкая', 'в масле', 'натуральная', 'провансаль 67%', 'томатный', 'рафинированное', 'хрустящие', 'высший сорт'],
    sizes: ['185 г', '240 г', '325 г', '340 г', '400 г', '680 г', '720 мл', '1 л'], vat: ['vat10', 'vat22'], roubles: [49, 499] },
];

const PRODUCE = {
  nouns: ['Яблоки', 'Бананы', 'Огурцы', 'Помидоры', 'Картофель', 'Морковь', 'Лук репчатый', 'Апельсины', 'Груши', 'Виноград', 'Капуста', 'Свёкла', 'Мандарины', 'Лимоны', 'Сыр весовой', 'Конфеты весовые', 'Печенье весовое', 'Орехи грецкие', 'Курага'],
  variants: ['Голден', 'Гала', 'Фуджи', 'Гренни Смит', 'гладкие', 'черри', 'молодой', 'красный', 'белокочанная', 'Российский', 'Абхазия', 'отборные', 'без косточек', ''],
};

const CATEGORY_WEIGHT_TOTAL = CATEGORIES.reduce((sum, c) => sum + c.weight, 0);
const WEIGHED_SHARE = 0.03;
const FIRST_GENERATED_PLU = 1000;
const MAX_PLU = 99_999; // five digits: what in-store scale labels can carry

/**
 * The generated products, one at a time (so a million never sit in memory). Product n (1-based)
 * gets barcode 46 + (n × 7919 mod 10¹⁰) + check digit: 7919 is coprime with 10¹⁰, so barcodes are
 * unique for up to 10¹⁰ products; every tenth product gets a second barcode with prefix 48.
 */
export function* generatedProducts(count: number, seed = 1): Generator<GeneratedProduct> {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  let nextPlu = FIRST_GENERATED_PLU;
  for (let n = 1; n <= count; n++) {
    const id = `sku-${String(n).padStart(7, '0')}`;
    if (rnd() < WEIGHED_SHARE) {
      const name = `${pick(PRODUCE.nouns)} ${pick(PRODUCE.variants)}`.trim() + ', кг';
      const plu = nextPlu <= MAX_PLU ? nextPlu++ : null;
      yield { id, name, price: priceText(rnd, 39, 1299), vat: 'vat10', unit: 'kg', barcodes: [], plu, marking: null, ageLimit: null, weighed: true };
      continue;
    }
    let r = rnd() * CATEGORY_WEIGHT_TOTAL;
    let category = CATEGORIES[0]!;
    for (const c of CATEGORIES) {
      r -= c.weight;
      if (r < 0) {
        category = c;
        break;
      }
    }
    const noun = pick(category.nouns);
    const brandText = pick(category.brands);
    const brand = rnd() < 0.05 ? `"${brandText}"` : brandText; // some names carry quotes, as real ones do
    const variant = rnd() < 0.8 ? pick(category.variants) : '';
    const size = pick(category.sizes);
    const name = [noun, brand, variant, size].filter((s) => s !== '').join(' ');
    const body = String((n * 7919) % 10_000_000_000).padStart(10, '0');
    const barcodes = [ean13(`46${body}`)];
    if (n % 10 === 0) barcodes.push(ean13(`48${body}`));
    let marking = category.marking ?? null;
    if (noun.startsWith('Вода') && rnd() < 0.5) marking = 'water';
    if (noun === 'Пиво') marking = 'beer';
    if (noun === 'Туалетная вода') marking = 'perfume';
    yield {
      id, name, price: priceText(rnd, category.roubles[0], category.roubles[1]), vat: pick(category.vat), unit: 'piece',
      barcodes, plu: null, marking, ageLimit: category.ageLimit ?? null, weighed: false,
    };
  }
}

function priceText(rnd: () => number, minRoubles: number, maxRoubles: number): string {
  const roubles = minRoubles + Math.floor(rnd() * (maxRoubles - minRoubles + 1));
  const kopecks = ['90', '99', '00', '50', '49'][Math.floor(rnd() * 5)]!;
  return `${roubles}.${kopecks}`;
}

function csvField(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One product as a CSV line (with the trailing newline). */
export function catalogCsvLine(p: GeneratedProduct): string {
  return [
    csvField(p.id), csvField(p.name), p.price, p.vat, p.unit, p.barcodes.join('|'),
    p.plu === null ? '' : String(p.plu), p.marking ?? '', p.ageLimit === null ? '' : String(p.ageLimit), p.weighed ? '1' : '0',
  ].join(';') + '\n';
}

/**
 * Writes a generated catalog of `skus` products as CSV to a stream or a file path. The same seed
 * gives the same file. A stream passed in is not ended (it may be stdout); a path is written and closed.
 */
export async function generateCatalogCsv(out: NodeJS.WritableStream | string, skus: number, seed = 1): Promise<void> {
  const stream: NodeJS.WritableStream = typeof out === 'string' ? fs.createWriteStream(out) : out;
  let failure: unknown = null;
  const onError = (error: unknown): void => {
    failure = error;
  };
  stream.on('error', onError);
  try {
    let chunk = `${CATALOG_CSV_HEADER}\n`;
    for (const p of generatedProducts(skus, seed)) {
      chunk += catalogCsvLine(p);
      if (chunk.length >= 1 << 16) {
        if (failure) throw failure;
        const ok = stream.write(chunk);
        chunk = '';
        if (!ok) await drained(stream);
      }
    }
    if (failure) throw failure;
    if (chunk.length > 0) stream.write(chunk);
    if (typeof out === 'string') {
      const finished = once(stream, 'finish');
      stream.end();
      await finished;
    }
    if (failure) throw failure;
  } finally {
    stream.off('error', onError);
  }
}

/** Resolves on 'drain', rejects on 'error', and leaves no listener behind either way. */
function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: unknown): void => {
      stream.off('drain', done);
      stream.off('error', done);
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
  });
}

export const DEMO_GENERATED_SKUS = 3000;
const DEMO_SEED = 2024;

/** The demo lane's catalog: the fixed demo items plus ~3000 generated ones, as CSV text. */
export function demoCatalogCsv(): string {
  let text = `${CATALOG_CSV_HEADER}\n`;
  for (const p of DEMO_ITEMS) text += catalogCsvLine(p);
  for (const p of generatedProducts(DEMO_GENERATED_SKUS, DEMO_SEED)) text += catalogCsvLine(p);
  return text;
}
