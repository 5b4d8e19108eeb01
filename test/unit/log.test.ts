import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppLog, LOG_MAX_BYTES } from '../../src/main/log';
import { createRedactor } from '../../src/main/redaction';

async function setup() {
  const dataDir = await mkdtemp(join(tmpdir(), 'link-desk-log-'));
  const redactor = createRedactor();
  return { redactor, log: createAppLog({ dataDir, redactor, console: false }) };
}

describe('log file', () => {
  it('lives in the data folder and blanks secrets and e-mail addresses in every line', async () => {
    const { log, redactor } = await setup();
    redactor.register('tok_9f8e7d6c5b4a');
    log.error('token tok_9f8e7d6c5b4a refused for jana.muster@example.de');
    log.warn('keychain: tok_9f8e7d6c5b4a');
    const text = readFileSync(log.filePath, 'utf8');
    expect(log.filePath).toMatch(/link-desk-log-[^/]+\/logs\/main\.log$/);
    expect(text).toContain('token [redacted] refused for [e-mail]');
    expect(text).not.toMatch(/tok_9f8e7d6c5b4a|jana\.muster/);
    expect(log.recent()).toHaveLength(2);
    expect(log.recent().join('\n')).not.toContain('tok_9f8e7d6c5b4a');
  });

  it('rotates at 1 MB into main.old.log, keeping the newest lines in main.log', async () => {
    const { log } = await setup();
    const line = 'x'.repeat(10_000);
    for (let i = 0; i < 120; i++) log.info(`${i} ${line}`);
    log.error('the last one');
    const old = join(dirname(log.filePath), 'main.old.log');
    expect(existsSync(old)).toBe(true);
    expect(statSync(log.filePath).size).toBeLessThanOrEqual(LOG_MAX_BYTES);
    expect(readFileSync(log.filePath, 'utf8')).toContain('the last one');
  });

  it('keeps only the last 20 errors for "Copy diagnostics"', async () => {
    const { log } = await setup();
    for (let i = 1; i <= 25; i++) log.error(`failure ${i}`);
    const recent = log.recent();
    expect(recent).toHaveLength(20);
    expect(recent[0]).toContain('failure 6');
    expect(recent[19]).toContain('failure 25');
  });
});
