import { useCallback, useEffect, useRef } from 'react';
import { call } from './api';

/** Main coalesces warm-ups itself; this only spares it an IPC message per keystroke. */
const RESEND_AFTER_MS = 5_000;

/**
 * Tells main that a link is probably coming (the amount field got the focus or a key, or the
 * window became visible again), so the token and the connection are ready when Enter is pressed.
 * Returns the handler for the amount field's focus and key events.
 */
export function useWarmUp(): () => void {
  const lastSent = useRef<number | null>(null);
  const warmUp = useCallback(() => {
    const at = performance.now();
    if (lastSent.current !== null && at - lastSent.current < RESEND_AFTER_MS) return;
    lastSent.current = at;
    void call('account.warmUp', {});
  }, []);

  useEffect(() => {
    const onVisibility = () => {
      if (document.visibilityState === 'visible') warmUp();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, [warmUp]);

  return warmUp;
}
