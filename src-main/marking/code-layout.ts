// Which product groups' layouts (product-groups.ts) a tokenized GS1 marking code fits. A code fits a
// layout when it is 01 + 21 with the layout's serial length, carries every tail element of the layout
// with its exact length once, and nothing else but the layout's optional elements.
import type { Gs1Element } from './gs1-elements';
import { BLOCK_LAYOUT, PRODUCT_GROUPS, layoutsOf, type CodeLayout, type ProductGroup } from './product-groups';

export function fitsLayout(elements: readonly Gs1Element[], layout: CodeLayout): boolean {
  const [gtin, serial, ...rest] = elements;
  if (gtin?.ai !== '01' || serial?.ai !== '21' || serial.value.length !== layout.serialLength) return false;
  const seen = new Set<string>();
  for (const element of rest) {
    if (seen.has(element.ai)) return false;
    seen.add(element.ai);
    const spec = layout.tail.find((t) => t.ai === element.ai) ?? layout.optional.find((t) => t.ai === element.ai);
    if (spec === undefined || spec.length !== element.value.length) return false;
  }
  return layout.tail.every((t) => seen.has(t.ai));
}

export interface LayoutFit {
  groups: ProductGroup[];
  /** 'block' when the code fits the tobacco block layout (01 + 21 + 8005 + 93). */
  packageKind: 'unit' | 'block';
}

export function groupsFitting(elements: readonly Gs1Element[]): LayoutFit {
  const groups = PRODUCT_GROUPS.filter((g) => layoutsOf(g).some((l) => fitsLayout(elements, l)));
  return { groups, packageKind: fitsLayout(elements, BLOCK_LAYOUT) ? 'block' : 'unit' };
}
