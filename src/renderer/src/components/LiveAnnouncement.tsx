import type { CSSProperties } from 'react';

/** Off-screen but read by screen readers (the usual visually-hidden pattern). */
const HIDDEN: CSSProperties = {
  position: 'absolute', width: 1, height: 1, margin: -1, padding: 0, border: 0, overflow: 'hidden',
  clip: 'rect(0 0 0 0)', clipPath: 'inset(50%)', whiteSpace: 'nowrap',
};

/**
 * A live region that is always in the page, so a change of its text is announced: a region that
 * appears together with its text (like the paid banner) is often not read at all.
 */
export function LiveAnnouncement({ text, testId }: { text: string; testId?: string }) {
  return (
    <p role="status" aria-live="polite" aria-atomic="true" style={HIDDEN} data-testid={testId}>
      {text}
    </p>
  );
}
