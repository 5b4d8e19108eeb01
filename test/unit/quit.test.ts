import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeWithin } from '../../src/main/quit';

afterEach(() => vi.useRealTimers());

describe('quitting', () => {
  it('waits for pending writes to finish', async () => {
    const written: string[] = [];
    const outcome = await closeWithin(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      written.push('history');
    }, 3000, () => undefined);
    expect(outcome).toBe('closed');
    expect(written).toEqual(['history']);
  });

  it('goes anyway after the limit when a write hangs', async () => {
    vi.useFakeTimers();
    const result = closeWithin(() => new Promise<void>(() => undefined), 3000, () => undefined);
    let settled = false;
    void result.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(2999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toBe('timed-out');
  });

  it('reports a failed close instead of throwing', async () => {
    const errors: unknown[] = [];
    expect(await closeWithin(() => Promise.reject(new Error('disk full')), 3000, (e) => errors.push(e))).toBe('closed');
    expect(String(errors[0])).toContain('disk full');
  });
});
