import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCore, stopCores } from './core-harness';

afterEach(stopCores);

/** Whether the child's history database holds a link still being created (read beside the writer, as WAL allows). */
function hasCreatingLink(dataDir: string): boolean {
  const file = join(dataDir, 'history', 'links.sqlite');
  if (!existsSync(file)) return false;
  try {
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      return (db.prepare("SELECT COUNT(*) AS count FROM links WHERE history_status = 'creating'").get() as { count: number }).count > 0;
    } finally {
      db.close();
    }
  } catch {
    return false; // not created yet
  }
}

async function fileContains(dir: string, fragment: string, text: string): Promise<boolean> {
  const files = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  for (const file of files.filter((f) => f.includes(fragment))) {
    if ((await readFile(join(dir, file), 'utf8').catch(() => '')).includes(text)) return true;
  }
  return false;
}

describe('a crash between recording a link and receiving its answer', () => {
  it('loses nothing: the next start finds the link at secupay by its merchantRef', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'link-desk-crash-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/links-crash-child.ts', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    try {
      // Kill only once the link is recorded as "creating" and secupay (the simulator) has it.
      const deadline = Date.now() + 15_000;
      while (!(hasCreatingLink(dataDir) && (await fileContains(dataDir, 'demo-transactions', 'Crash test')))) {
        if (Date.now() > deadline) throw new Error('the child never got to the point of the crash');
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      child.kill('SIGKILL');
      await exited;
    }

    const restarted = await startCore(dataDir);
    const [recorded] = restarted.core.history.query({ limit: 500 }).items;
    expect(recorded?.reference).toBe('Crash test');
    await expect.poll(() => restarted.core.history.get(recorded!.merchantRef)?.state, { timeout: 8_000 }).toBe('created');
    const settled = restarted.core.history.get(recorded!.merchantRef)!;
    expect(settled.id).toMatch(/^STX_/);
    expect(settled.paymentUrl).toContain(settled.id!);
    expect(restarted.core.history.query({ limit: 500 }).items).toHaveLength(1);
    expect(await restarted.apiRequests('POST', '/api/v2/Smart/Transactions')).toBe(0); // found, not created again
  });
});
