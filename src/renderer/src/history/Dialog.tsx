import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Buttons at the bottom (the confirming one last). */
  footer: ReactNode;
  /** While an action runs, Escape does nothing: its result must still reach the merchant. */
  busy?: boolean;
  tone?: 'default' | 'danger';
  testId?: string;
}

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/**
 * A modal confirmation: the native <dialog> in modal mode makes the page behind it inert, Tab is
 * kept inside, Escape closes it, and focus goes back to where it was (the row's action button).
 */
export function Dialog({ title, onClose, children, footer, busy = false, tone = 'default', testId }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  const busyRef = useRef(busy);
  useEffect(() => {
    onCloseRef.current = onClose;
    busyRef.current = busy;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const first = dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (returnTo?.isConnected) returnTo.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab') return;
    const focusable = [...(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      className={`history-dialog${tone === 'danger' ? ' danger' : ''}`}
      aria-labelledby={titleId}
      aria-busy={busy || undefined}
      data-testid={testId}
      onKeyDown={onKeyDown}
      onCancel={(event) => {
        // Escape: React decides whether the dialog goes away.
        event.preventDefault();
        if (!busyRef.current) onCloseRef.current();
      }}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside its box) closes it too.
        if (event.target === ref.current && !busyRef.current) {
          const box = ref.current.getBoundingClientRect();
          const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
          if (!inside) onCloseRef.current();
        }
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div className="history-dialog-body">{children}</div>
      <div className="history-dialog-footer">{footer}</div>
    </dialog>
  );
}
