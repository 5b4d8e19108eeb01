import { open, readdir, rm, copyFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The history folder's file names and the few file operations whose ordering makes them
 * crash-safe. See README.md beside this file for the layout.
 */

export const SNAPSHOT_FILE = 'history.snapshot.jsonl';
export const SNAPSHOT_TEMP_FILE = 'history.snapshot.tmp';
const JOURNAL_PATTERN = /^history\.journal-(\d+)\.jsonl$/;

export function journalFile(generation: number): string {
  return `history.journal-${generation}.jsonl`;
}

export interface FolderListing {
  hasSnapshot: boolean;
  hasSnapshotTemp: boolean;
  /** Ascending. */
  journalGenerations: number[];
  names: Set<string>;
}

export async function listFolder(dir: string): Promise<FolderListing> {
  const names = new Set(await readdir(dir));
  const journalGenerations: number[] = [];
  for (const name of names) {
    const match = JOURNAL_PATTERN.exec(name);
    if (match) journalGenerations.push(Number(match[1]));
  }
  journalGenerations.sort((a, b) => a - b);
  return { hasSnapshot: names.has(SNAPSHOT_FILE), hasSnapshotTemp: names.has(SNAPSHOT_TEMP_FILE), journalGenerations, names };
}

/** Makes a rename, create or delete in `dir` itself survive a power cut. */
export async function syncFolder(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch {
    return; // Windows cannot open a folder; NTFS journals its metadata anyway.
  }
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems refuse fsync on a folder (EINVAL/EISDIR): nothing more can be done there.
    if (!isErrno(error, 'EINVAL') && !isErrno(error, 'EISDIR') && !isErrno(error, 'EPERM')) throw error;
  } finally {
    await handle.close();
  }
}

export function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** A free `history.damaged-<time>[-n].jsonl` name; never overwrites an earlier one. */
export function damagedFileName(taken: ReadonlySet<string>, at: Date): string {
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  for (let n = 1; ; n++) {
    const name = n === 1 ? `history.damaged-${stamp}.jsonl` : `history.damaged-${stamp}-${n}.jsonl`;
    if (!taken.has(name)) return name;
  }
}

/** Copies (not moves) a damaged file aside and makes the copy durable before anything is rewritten. */
export async function setAside(dir: string, name: string, asideName: string): Promise<string> {
  const asidePath = join(dir, asideName);
  await copyFile(join(dir, name), asidePath);
  const handle = await open(asidePath, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await syncFolder(dir);
  return asidePath;
}

export async function removeFile(dir: string, name: string): Promise<void> {
  await rm(join(dir, name), { force: true });
}

export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}
