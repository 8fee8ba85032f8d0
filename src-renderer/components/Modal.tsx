import { useEffect, useRef, type ReactNode } from 'react';

interface ModalProps {
  title: string;
  testId: string;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  onClose?: () => void;
  /** Rendered above other dialogs (the supervisor PIN asked for in the middle of an action). */
  top?: boolean;
}

/** A dialog over the workplace. Focus moves into it (first field, else the primary button). */
export function Modal({ title, testId, children, footer, wide, onClose, top }: ModalProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const el = box.current;
    const target = el?.querySelector<HTMLElement>('[data-autofocus]') ?? el?.querySelector<HTMLElement>('.modal-body input')
      ?? el?.querySelector<HTMLElement>('.btn-primary') ?? el?.querySelector<HTMLElement>('.modal-body button');
    target?.focus();
    return () => {
      if (previous && previous.isConnected && previous !== document.body) previous.focus();
    };
  }, []);
  return (
    <div className={top ? 'modal-backdrop modal-top' : 'modal-backdrop'} onMouseDown={(e) => { if (e.target === e.currentTarget) onClose?.(); }}>
      <div className={wide ? 'modal modal-wide' : 'modal'} role="dialog" aria-modal="true" aria-label={title} data-testid={testId} ref={box}>
        <header className="modal-head">
          <h2>{title}</h2>
          {onClose && <button type="button" className="modal-close" onClick={onClose} aria-label="×" data-testid={`${testId}-close`}>×</button>}
        </header>
        <div className="modal-body">{children}</div>
        {footer && <footer className="modal-foot">{footer}</footer>}
      </div>
    </div>
  );
}
