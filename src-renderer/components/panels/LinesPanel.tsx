import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney, formatQuantity, formatTime, type Lang } from '../../format/money';
import { attempt } from '../../state/actions';
import { useLayout } from '../../state/layout';
import { useReceipt } from '../../state/receipt';
import { useUi } from '../../state/ui';
import type { ReceiptLine } from '../../../src-main/contract';
import { scrollToShow } from './scroll-to-show';

/** Base row height in px at fontScale 1; rows are fixed-height so a 500-line receipt scrolls smoothly. */
const ROW_PX = 52;

export function LinesPanel() {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  const receipt = useReceipt((s) => s.receipt);
  const selectedLineId = useReceipt((s) => s.selectedLineId);
  const select = useReceipt((s) => s.select);
  const fontScale = useLayout((s) => s.layout.fontScale);
  const rowHeight = Math.round(ROW_PX * fontScale);
  const lines = receipt?.lines ?? [];
  const scroller = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 10,
    getItemKey: (index) => lines[index]?.id ?? index,
    // A scroll re-renders the rows with the next paint, not synchronously inside the scroll event.
    useFlushSync: false,
  });

  // Keeps the selected line in view (a new line is selected, so a scan scrolls to it). Rows are fixed
  // height, so the row's place is known; the view's height and position are what the virtualizer keeps
  // from resize and scroll events, so deciding reads no layout. The scroll is written at the start of
  // the next frame, where the layout it needs is the one the frame makes anyway; written here it would
  // force one more. (TanStack's scrollToIndex re-reads the scroll height for several frames until it
  // settles, a forced layout each time: on a long receipt that cost more than the rest of a scan.)
  const selectedIndex = lines.findIndex((l) => l.id === selectedLineId);
  useEffect(() => {
    if (selectedIndex < 0) return;
    const frame = requestAnimationFrame(() => {
      const view = scroller.current;
      if (!view) return;
      const top = virtualizer.scrollOffset ?? view.scrollTop;
      const height = virtualizer.scrollRect?.height ?? view.clientHeight;
      const target = scrollToShow(selectedIndex, rowHeight, top, height);
      if (target !== null) view.scrollTop = target;
    });
    return () => cancelAnimationFrame(frame);
  }, [selectedIndex, lines.length, rowHeight, virtualizer]);

  return (
    <section className="panel panel-lines" data-testid="panel-lines">
      <div className="lines-title">
        <span>{receipt ? t('lines.receiptOpened', { time: formatTime(receipt.openedAt, lang) }) : t('lines.newReceipt')}</span>
        <span className="lines-count">{t('lines.positions', { count: lines.length })}</span>
      </div>
      <div className="lines-head" role="row">
        <span className="col-no">№</span>
        <span className="col-name">{t('lines.name')}</span>
        <span className="col-qty">{t('lines.quantity')}</span>
        <span className="col-price">{t('lines.price')}</span>
        <span className="col-amount">{t('lines.amount')}</span>
      </div>
      <div className="lines-scroll" ref={scroller} data-testid="receipt-lines" role="grid" aria-label={t('lines.title')}>
        {lines.length === 0 && <div className="lines-empty">{t('lines.empty')}</div>}
        <div className="lines-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => (
            <LineRow key={item.key} line={lines[item.index]!} index={item.index} start={item.start} size={item.size}
              selected={lines[item.index]!.id === selectedLineId} lang={lang} onSelect={select} />
          ))}
        </div>
      </div>
      <BarcodeEntry />
    </section>
  );
}

interface LineRowProps {
  line: ReceiptLine;
  index: number;
  start: number;
  size: number;
  selected: boolean;
  lang: Lang;
  onSelect(lineId: string): void;
}

/**
 * One line of the receipt. Memoised: the store keeps the objects of unchanged lines (state/share-equal.ts),
 * so a scan renders the new row and the rows whose position or selection moved, not all of them.
 */
const LineRow = memo(function LineRow({ line, index, start, size, selected, lang, onSelect }: LineRowProps) {
  const { t } = useTranslation();
  const cls = ['line-row', selected ? 'selected' : '', line.voided ? 'voided' : '', index % 2 ? 'odd' : ''].join(' ');
  return (
    <div role="row" aria-selected={selected} className={cls}
      style={{ height: size, transform: `translateY(${start}px)` }}
      onClick={() => onSelect(line.id)} data-testid="receipt-line" data-index={index}
      data-voided={line.voided ? 'true' : 'false'} data-selected={selected ? 'true' : 'false'}>
      <span className="col-no">{index + 1}</span>
      <span className="col-name">
        <span className="line-name" data-testid="line-name">{line.name}</span>
        {line.voided && <span className="line-badge" data-testid="line-voided">{t('lines.voided')}</span>}
        {line.barcode && <span className="line-barcode">{line.barcode}</span>}
      </span>
      <span className="col-qty" data-testid="line-qty">{formatQuantity(line.quantityMilli, line.weighed, lang)} {t(`unit.${line.unit}`)}</span>
      <span className="col-price">{formatMoney(line.priceKopecks, lang)}</span>
      <span className="col-amount" data-testid="line-amount">{formatMoney(line.amountKopecks, lang)}</span>
    </div>
  );
});

/** Manual barcode entry under the receipt: type (or key in on the pad) and Enter. */
export function BarcodeEntry() {
  const { t } = useTranslation();
  const code = useUi((s) => s.manualCode);
  const setCode = useUi((s) => s.setManualCode);
  const busy = useReceipt((s) => s.busy);
  const field = useRef<HTMLInputElement>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = (field.current?.value ?? code).trim(); // the field, not the last render (see PaymentDialog)
    if (!value) return;
    setCode('');
    void attempt(() => useReceipt.getState().scan(value, 'manual'));
  };
  return (
    <form className="barcode-entry" onSubmit={submit}>
      <label className="barcode-label" htmlFor="barcode-input">{t('barcode.label')}</label>
      <input id="barcode-input" ref={field} className="field barcode-field" value={code} onChange={(e) => setCode(e.target.value)}
        placeholder={t('barcode.placeholder')} autoComplete="off" spellCheck={false} maxLength={256} inputMode="numeric"
        data-testid="barcode-input" />
      <button type="submit" className="btn btn-primary" data-testid="barcode-submit">{t('barcode.add')}</button>
      <span className={busy ? 'busy-indicator on' : 'busy-indicator'} aria-hidden="true" />
    </form>
  );
}
