import { useEffect, useRef } from 'react';

const isMac = typeof navigator !== 'undefined' && /Mac/i.test(navigator.platform);

/** "Ctrl+N" or "⌘N", as shown next to buttons; "shift+s" becomes "Ctrl+Shift+S" / "⌘⇧S". */
export function shortcutLabel(key: string): string {
  const shift = key.startsWith('shift+');
  const base = shift ? key.slice('shift+'.length) : key;
  const shown = base === 'Enter' ? '↵' : base.length === 1 ? base.toUpperCase() : base;
  if (isMac) return `⌘${shift ? '⇧' : ''}${shown}`;
  return `Ctrl+${shift ? 'Shift+' : ''}${shown}`;
}

/**
 * Binds Ctrl/⌘+key shortcuts (and Ctrl/⌘+Shift+key as "shift+key") for as long as the component
 * is mounted. A shortcut is ignored while its action's button is disabled elsewhere: the action
 * itself decides.
 */
export function useShortcuts(bindings: Record<string, () => void>): void {
  const ref = useRef(bindings);
  useEffect(() => {
    ref.current = bindings;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(isMac ? event.metaKey : event.ctrlKey) || event.altKey) return;
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      const action = (event.shiftKey ? ref.current[`shift+${key}`] : undefined) ?? (event.shiftKey ? undefined : ref.current[key]);
      if (action) {
        event.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
