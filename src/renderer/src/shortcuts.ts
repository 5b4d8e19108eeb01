import { useEffect, useRef } from 'react';

const isMac = typeof navigator !== 'undefined' && /Mac/i.test(navigator.platform);

/** "Ctrl+N" or "⌘N", as shown next to buttons. */
export function shortcutLabel(key: string): string {
  const shown = key === 'Enter' ? '↵' : key.length === 1 ? key.toUpperCase() : key;
  return isMac ? `⌘${shown}` : `Ctrl+${shown}`;
}

/** Binds Ctrl/⌘+key shortcuts for as long as the component is mounted. */
export function useShortcuts(bindings: Record<string, () => void>): void {
  const ref = useRef(bindings);
  useEffect(() => {
    ref.current = bindings;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(isMac ? event.metaKey : event.ctrlKey) || event.altKey) return;
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      const action = ref.current[key];
      if (action) {
        event.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
