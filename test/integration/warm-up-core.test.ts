import { afterEach, describe, expect, it } from 'vitest';
import { baseInput, createLink, startCore, stopCores } from './core-harness';

afterEach(stopCores);

describe('account.warmUp through the app core (Demo)', () => {
  it('readies the token at start and on demand without creating anything; the create then logs in no more', async () => {
    const { call, apiRequests } = await startCore();
    // Typing "17,50": focus plus five keys, each one a warm-up signal from the renderer.
    const answers = await Promise.all(Array.from({ length: 6 }, () => call<Record<string, never>>('account.warmUp', {})));
    expect(answers.every((answer) => answer.ok)).toBe(true);
    await expect.poll(() => apiRequests('POST', '/oauth/token')).toBe(1);
    expect(await apiRequests('POST', '/api/v2/Smart')).toBe(0);
    expect(await apiRequests('GET', '/api/v2/Smart')).toBe(0);

    await createLink(call, baseInput);
    expect(await apiRequests('POST', '/oauth/token')).toBe(1);
    expect(await apiRequests('POST', '/api/v2/Smart/Transactions')).toBe(1);
  });

  it('refuses any input: the channel takes none', async () => {
    const { call } = await startCore();
    const result = await call('account.warmUp', { amount: 17 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('ipc.invalid_input');
  });
});
