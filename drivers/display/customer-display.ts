// The customer-facing two-line display (VFD/LCD, usually 2 × 20) on a lane. The driver only shows
// two lines; what to show is layout.ts's job.
export interface CustomerDisplay {
  readonly columns: number;
  show(lines: readonly [string, string]): Promise<void>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

export class DisplayError extends Error {
  constructor(readonly code: 'DISPLAY_NO_LINK' | 'DISPLAY_CLOSED', readonly text: { ru: string; en: string }, readonly details: Record<string, unknown> = {}) {
    super(`${code}: ${text.en}`);
    this.name = 'DisplayError';
  }
}

export const displayErrors = {
  noLink: (d: Record<string, unknown> = {}) => new DisplayError('DISPLAY_NO_LINK',
    { ru: 'Нет связи с дисплеем покупателя', en: 'No link to the customer display' }, d),
  closed: () => new DisplayError('DISPLAY_CLOSED', { ru: 'Дисплей покупателя отключён', en: 'The customer display is disconnected' }),
};
