/**
 * Quitting waits for pending writes (history, settings) — but not forever: a hung write must
 * not keep a till from shutting down. Resolves when `closing` settles or after `limitMs`,
 * whichever is first; a failure is handed to `onError`, never thrown.
 */
export async function closeWithin(
  closing: () => Promise<void>,
  limitMs: number,
  onError: (error: unknown) => void,
): Promise<'closed' | 'timed-out'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), limitMs);
  });
  const closed = closing().then(
    () => 'closed' as const,
    (error: unknown) => {
      onError(error);
      return 'closed' as const;
    },
  );
  try {
    return await Promise.race([closed, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
