// First start of a demo lane: identity, demo users, layout with quick keys, and the demo catalog.
import { randomBytes } from 'node:crypto';
import type { User } from '../contract';
import { hashPin } from '../services/session/pin-hash';
import type { CatalogStore } from '../store/catalog-store';
import { DEMO_BARCODES, demoCatalogCsv } from '../store/catalog-generator';
import { newId } from '../store/ids';
import type { SalesStore } from '../store/sales-store';
import { DEFAULT_WEDGE, SETTINGS_KEYS, defaultLayout, type LaneIdentity } from './lane-settings';
import { DEFAULT_SCALE_LABEL_RULES } from '../domain/barcode';

export const DEMO_USERS: ReadonlyArray<{ name: string; role: User['role']; pin: string }> = [
  { name: 'Иванова Мария (кассир)', role: 'cashier', pin: '1111' },
  { name: 'Петров Сергей (старший кассир)', role: 'supervisor', pin: '9999' },
  { name: 'Администратор', role: 'administrator', pin: '0000' },
];

/** Seeds what is missing; safe to call on every start. Returns true when it created the lane. */
export async function seedDemoLane(sales: SalesStore, catalog: CatalogStore, nowIso: string): Promise<boolean> {
  let created = false;
  if (!sales.settings.has(SETTINGS_KEYS.pinSalt)) {
    sales.transaction(() => {
      const salt = randomBytes(16).toString('hex');
      const lane: LaneIdentity = { laneId: newId(), laneName: 'Касса 1', storeName: 'Демо-магазин «Прилавок»', kiosk: false, locale: 'ru', demo: true };
      sales.settings.put(SETTINGS_KEYS.pinSalt, salt);
      sales.settings.put(SETTINGS_KEYS.lane, lane);
      sales.settings.put(SETTINGS_KEYS.wedge, DEFAULT_WEDGE);
      sales.settings.put(SETTINGS_KEYS.scaleLabelRules, DEFAULT_SCALE_LABEL_RULES);
      sales.settings.put(SETTINGS_KEYS.layout, defaultLayout([
        { label: { ru: 'Пакет', en: 'Bag' }, barcode: DEMO_BARCODES.bag },
        { label: { ru: 'Хлеб', en: 'Bread' }, barcode: DEMO_BARCODES.bread },
        // Marked goods have no quick key: each item's own code must be scanned and checked.
        { label: { ru: 'Пиво', en: 'Beer' }, barcode: DEMO_BARCODES.beer },
        { label: { ru: 'Вода', en: 'Water' }, barcode: DEMO_BARCODES.water },
      ]));
      for (const u of DEMO_USERS) {
        sales.users.add({ id: newId(), name: u.name, role: u.role }, hashPin(u.pin, salt), nowIso);
      }
      sales.audit.append({ at: nowIso, actorId: null, authorisedBy: null, action: 'lane.seeded', subjectId: lane.laneId, details: { demo: true } });
    });
    created = true;
  }
  if (catalog.products.isEmpty()) {
    const result = await catalog.importCsv({ text: demoCatalogCsv() });
    if (result.errors.length > 0) throw new Error(`demo catalog has bad rows: ${JSON.stringify(result.errors.slice(0, 3))}`);
  }
  return created;
}
