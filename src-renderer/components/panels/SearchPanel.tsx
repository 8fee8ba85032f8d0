import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Product } from '../../../src-main/contract';
import { formatMoney } from '../../format/money';
import { keyLabel } from '../../keyboard/hotkeys';
import { attempt, reportError } from '../../state/actions';
import { useLayout } from '../../state/layout';
import { useReceipt } from '../../state/receipt';
import { useUi } from '../../state/ui';
import { call } from '../../transport/pos';

const DEBOUNCE_MS = 250;

/** Product search by name (the lane searches its catalog; the UI never holds the catalog). */
export function SearchPanel() {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  const hotkeys = useLayout((s) => s.layout.hotkeys);
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<Product[]>([]);
  const [searched, setSearched] = useState('');
  const [active, setActive] = useState(0);
  const seq = useRef(0);

  useEffect(() => {
    const text = query.trim();
    if (text.length < 2) {
      setItems([]);
      setSearched('');
      return;
    }
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      call('catalog.search', { query: text, limit: 20 })
        .then(({ items: found }) => {
          if (mine !== seq.current) return; // an older answer must not replace a newer one
          setItems(found);
          setSearched(text);
          setActive(0);
        })
        .catch(reportError);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query]);

  const add = (product: Product | undefined) => {
    if (!product) return;
    setQuery('');
    setItems([]);
    // A weighed item takes its weight from the lane's scale; the UI never sends one.
    void attempt(() => (product.weighed ? useReceipt.getState().addWeighed(product.id) : useReceipt.getState().addProduct(product.id)));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      event.stopPropagation();
      const delta = event.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => Math.max(0, Math.min(items.length - 1, a + delta)));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const text = event.currentTarget.value.trim();
      if (text.length >= 2 && text !== searched) {
        // Enter before the debounced search answered: search now and take the best match.
        seq.current++;
        void call('catalog.search', { query: text, limit: 1 }).then(({ items: found }) => add(found[0])).catch(reportError);
        return;
      }
      add(items[active]);
    } else if (event.key === 'Escape' && query !== '') {
      event.stopPropagation();
      setQuery('');
    }
  };

  return (
    <section className="panel panel-search" data-testid="panel-search">
      <div className="search-box">
        <input className="field search-field" type="search" value={query} onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onKeyDown} placeholder={t('search.placeholder', { key: keyLabel(hotkeys, 'search') })}
          aria-label={t('search.label')} autoComplete="off" spellCheck={false} maxLength={100} data-testid="search-input" />
      </div>
      <ul className="search-results" role="listbox" data-testid="search-results">
        {items.map((product, index) => (
          <li key={product.id} role="option" aria-selected={index === active} className={index === active ? 'search-item active' : 'search-item'}
            onMouseDown={(e) => e.preventDefault()} onClick={() => add(product)} data-testid="search-result">
            <span className="search-name">{product.name}</span>
            <span className="search-meta">{product.barcodes[0] ?? (product.plu !== null ? `PLU ${product.plu}` : '')}</span>
            <span className="search-price">{formatMoney(product.priceKopecks, lang)}{product.weighed ? ` / ${t('unit.kg')}` : ''}</span>
          </li>
        ))}
        {searched !== '' && items.length === 0 && <li className="search-none">{t('search.nothing', { query: searched })}</li>}
      </ul>
    </section>
  );
}
