// Weighed goods from the live scale (issue 5): the main process reads the scale itself, so the
// renderer cannot invent a weight. The weight must be stable and, after the product's tare, at least
// the lane's minimum; then the line goes in through SaleService.addProduct as grams (thousandths of a
// kilogram), with every check the sale path already makes.
import { z } from 'zod';
import { PosError, type Receipt } from '../../contract';
import { Id } from '../../contract/primitives';
import type { CallContext } from '../../app/dispatcher';
import { errors } from '../../app/errors';
import { ScaleError, weightForSale, type ScaleReading } from '../../../drivers/scales/scale';
import type { CatalogRepository } from '../../store/catalog-repository';
import { NEEDS_WEIGHT, type SaleService } from '../sale/sale-service';
import type { DeviceManager } from './device-manager';

/** Lane setting `weighing`: the smallest weight sold from the scale, and a tare per product (a tray, a bag). */
export const WEIGHING_SETTINGS_KEY = 'weighing';
export const WeighingSettings = z.object({
  minimumGrams: z.number().int().min(1).max(10_000).default(40),
  /** productId → grams subtracted from the reading (the container the product always comes in). */
  tareGrams: z.record(Id, z.number().int().min(0).max(100_000)).default({}),
}).strict();
export type WeighingSettings = z.infer<typeof WeighingSettings>;
export const DEFAULT_WEIGHING: WeighingSettings = { minimumGrams: 40, tareGrams: {} };

export interface WeighedSaleDeps {
  sale: Pick<SaleService, 'addProduct'>;
  catalog: Pick<CatalogRepository, 'byId'>;
  devices: Pick<DeviceManager, 'readScaleForSale'>;
  weighing(): WeighingSettings;
}

export async function addWeighed(ctx: CallContext, deps: WeighedSaleDeps, receiptId: string, productId: string): Promise<Receipt> {
  const product = deps.catalog.byId(productId);
  if (!product) throw errors.notFound('product', productId);
  if (!product.weighed || product.unit !== 'kg') {
    throw errors.invalidState('Это штучный товар: его не взвешивают', 'This item is sold by the piece, not weighed', { productId });
  }
  const { deviceId, reading } = await deps.devices.readScaleForSale();
  const settings = deps.weighing();
  const netGrams = saleWeight(reading, settings.minimumGrams, settings.tareGrams[productId] ?? 0, deviceId);
  return deps.sale.addProduct(ctx, receiptId, productId, netGrams);
}

/**
 * A scan, a quick key or a typed code. When it names a weighed product itself (its barcode, PLU key or
 * id, not a scale label that carries a weight) the item is on the platform: it is weighed on the
 * lane's scale, with the same checks as the search panel's weighing (stable, above the minimum, tare).
 */
export async function scanOrWeigh(ctx: CallContext, deps: WeighedSaleDeps & { sale: Pick<SaleService, 'scan' | 'addProduct'> },
  receiptId: string, code: string, source: string): Promise<Receipt> {
  try {
    return await deps.sale.scan(ctx, receiptId, code, source);
  } catch (error) {
    const productId = error instanceof PosError && error.details?.['reason'] === NEEDS_WEIGHT ? error.details['productId'] : undefined;
    if (typeof productId !== 'string') throw error;
    return addWeighed(ctx, deps, receiptId, productId);
  }
}

/** The grams a weighed line takes from this reading, or the PosError the cashier sees. */
export function saleWeight(reading: ScaleReading, minimumGrams: number, tareGrams: number, deviceId: string | null = null): number {
  const putItOn = () => new PosError('INVALID_STATE', {
    ru: `Положите товар на весы (не меньше ${minimumGrams} г)`, en: `Put the item on the scale (at least ${minimumGrams} g)`,
  }, { reason: 'below-minimum', minimumGrams, tareGrams, weightGrams: reading.weightGrams, device: deviceId });
  if ((reading.state === 'stable' || reading.state === 'zero') && (reading.weightGrams ?? 0) - tareGrams < minimumGrams) throw putItOn();
  let gross: number;
  try {
    gross = weightForSale(reading, 1);
  } catch (error) {
    if (error instanceof ScaleError) {
      throw new PosError('INVALID_STATE', error.text, { reason: error.code, weightGrams: reading.weightGrams, device: deviceId });
    }
    throw error;
  }
  const net = gross - tareGrams;
  if (net < minimumGrams) throw putItOn();
  return net;
}
