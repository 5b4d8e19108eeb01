import { useCallback, useEffect, useRef } from 'react';
import { call } from './api';
import { qrMatrix } from './qr';
import { CreateLinkInputSchema } from '../../shared/link';

/** Main coalesces warm-ups itself; this only spares it an IPC message per keystroke. */
const RESEND_AFTER_MS = 5_000;
/** As long as a real payment link, so the encoder runs the same code paths once before the first real QR. */
const SAMPLE_LINK = 'https://connect-testing.secuconnect.com/pay?stx=STX_0000000000000000000000000000WU&server=testing';
/** A create with every part filled, so zod compiles each nested schema once before the real check on Enter. */
const SAMPLE_CREATE = {
  amountCents: 100,
  currency: 'EUR',
  reference: 'x',
  language: 'de',
  paymentMethod: 'any',
  customer: { forename: 'x', email: 'x@example.com', address: { city: 'x', country: 'DE' } },
  returnUrls: { success: '', error: '', abort: '' },
  basket: [{ name: 'x', quantity: 1, unitPriceCents: 100, vatRate: 19 }],
};

/** The first use of the encoder and of the create schema costs more than later ones: pay it while the merchant types. */
function warmRendererCode(): void {
  qrMatrix(SAMPLE_LINK);
  CreateLinkInputSchema.safeParse(SAMPLE_CREATE);
}

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
    // The first QR after start took ~200 ms longer than later ones, and zod compiles the create
    // schema on its first check (~6 ms, bench:latency): both once, after this event is handled.
    if (lastSent.current === null) setTimeout(warmRendererCode, 0);
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
