import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLinkRepository } from '../../src/main/history';

const WRITER = resolve(import.meta.dirname, '../fixtures/history-crash-writer.ts');

let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs the writer until it has confirmed `acks` puts, kills it with SIGKILL, returns what it confirmed. */
function writeUntilKilled(folder: string, run: number, acks: number): Promise<{ confirmed: Map<string, number>; openLine: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, folder, String(run)], {
      cwd: resolve(import.meta.dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const confirmed = new Map<string, number>();
    let openLine = '';
    let buffered = '';
    let stderr = '';
    let count = 0;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('open ')) {
          openLine = line;
          continue;
        }
        const [ref, amount] = line.split(' ');
        confirmed.set(ref as string, Math.max(confirmed.get(ref as string) ?? 0, Number(amount)));
        count += 1;
        if (count === acks) child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') done({ confirmed, openLine });
      else fail(new Error(`writer ended by itself (code ${code}): ${stderr}`));
    });
  });
}

describe('history after the process is killed mid-write', () => {
  it('keeps every change that had been acknowledged, across several kills', async () => {
    dir = await mkdtemp(join(tmpdir(), 'history-crash-'));
    const allConfirmed = new Map<string, number>();
    for (let run = 0; run < 4; run++) {
      const { confirmed, openLine } = await writeUntilKilled(dir, run, 150 + run * 137);
      // Reopening after the previous kill found every earlier link and no damage at all.
      const [, seen, damaged] = openLine.split(' ');
      expect(Number(seen)).toBe(allConfirmed.size);
      expect(Number(damaged)).toBe(0);
      for (const [ref, amount] of confirmed) allConfirmed.set(ref, amount);
    }

    const history = openLinkRepository({ deskId: 'de5c0001', dir });
    try {
      expect(history.recovery).toBeNull();
      for (const [ref, amount] of allConfirmed) {
        // The last acknowledged version or a later one that was committed just before the kill.
        expect(history.get(ref)?.amountCents, ref).toBeGreaterThanOrEqual(amount);
      }
      expect(history.query({ limit: 1 }).total).toBe(allConfirmed.size);
      await history.update('crash-0-0', () => ({ set: { status: 'cancelled' } }));
    } finally {
      await history.close();
    }
    const reopened = openLinkRepository({ deskId: 'de5c0001', dir });
    expect(reopened.recovery).toBeNull();
    expect(reopened.get('crash-0-0')?.status).toBe('cancelled');
    await reopened.close();
  });
});
