import { useEffect, useId, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';

export interface MenuAction {
  id: string;
  label: string;
  run: () => void;
  danger?: boolean;
  /** Starts a new group (drawn with a line above). */
  separated?: boolean;
}

/**
 * "More" button with a menu of a row's follow-up actions (ARIA menu button pattern): arrow keys
 * move, Enter/Space run, Escape or Tab close and focus goes back to the button.
 */
export function RowMenu({ label, ariaLabel, actions, testId, tabbable = true }: { label: string; ariaLabel: string; actions: MenuAction[]; testId?: string; tabbable?: boolean }) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  const menuId = useId();
  // Fixed to the viewport so the table's scroll box cannot clip it; opens upwards near the bottom.
  const [position, setPosition] = useState<CSSProperties>({});
  const anchoredAt = useRef<{ top: number; left: number } | null>(null);

  const show = () => {
    const rect = buttonRef.current?.getBoundingClientRect();
    if (rect) {
      anchoredAt.current = { top: rect.top, left: rect.left };
      const right = window.innerWidth - rect.right;
      const up = window.innerHeight - rect.bottom < 24 + actions.length * 40;
      setPosition(up ? { bottom: window.innerHeight - rect.top + 4, right } : { top: rect.bottom + 4, right });
    }
    setOpen(true);
  };

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    // Scrolling that moves the button (the page, the table) would leave the menu floating elsewhere.
    const onScroll = () => {
      const rect = buttonRef.current?.getBoundingClientRect();
      const at = anchoredAt.current;
      if (!rect || !at || Math.abs(rect.top - at.top) > 1 || Math.abs(rect.left - at.left) > 1) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    window.addEventListener('scroll', onScroll, true);
    window.addEventListener('resize', onScroll);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      window.removeEventListener('scroll', onScroll, true);
      window.removeEventListener('resize', onScroll);
    };
  }, [open]);

  const close = (focusButton: boolean) => {
    setOpen(false);
    if (focusButton) buttonRef.current?.focus();
  };

  const onMenuKey = (event: KeyboardEvent<HTMLUListElement>) => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    const focusAt = (i: number) => items[(i + items.length) % items.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        focusAt(index + 1);
        break;
      case 'ArrowUp':
        focusAt(index - 1);
        break;
      case 'Home':
        focusAt(0);
        break;
      case 'End':
        focusAt(items.length - 1);
        break;
      case 'Escape':
        close(true);
        break;
      case 'Tab':
        // The menu lives at the end of <body>: Tab goes on from the button, as if it were next to it.
        close(true);
        return;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  if (actions.length === 0) return null;
  return (
    <div className="row-menu">
      <button
        ref={buttonRef}
        type="button"
        className="button secondary small row-menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={ariaLabel}
        title={ariaLabel}
        tabIndex={tabbable ? 0 : -1}
        data-testid={testId}
        onClick={() => (open ? setOpen(false) : show())}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            // Opens the menu rather than moving to another row.
            event.preventDefault();
            event.stopPropagation();
            show();
          }
        }}
      >
        <span aria-hidden="true">{label}</span>
      </button>
      {/* In <body>: the content area is a CSS container, which would make it the menu's frame. */}
      {open && createPortal(
        <ul ref={menuRef} id={menuId} role="menu" aria-label={ariaLabel} className="row-menu-list" style={position} onKeyDown={onMenuKey}>
          {actions.map((action) => (
            <li key={action.id} role="none" className={action.separated ? 'separated' : undefined}>
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                className={action.danger ? 'danger' : undefined}
                data-action={action.id}
                onClick={() => {
                  close(true);
                  action.run();
                }}
              >
                {action.label}
              </button>
            </li>
          ))}
        </ul>,
        document.body,
      )}
    </div>
  );
}
