import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LinkOrigin } from '../shared/link';

/**
 * Which desk this installation is, so that the merchantRef of every link it creates says so:
 * `LD-<desk id>-<random>`. Other desks of the shop read the account's transactions and can tell
 * their own links, another Link Desk's, and those made elsewhere (secuOffice, a web shop) apart.
 * The id lives in the data folder beside the settings, not in the history database, so a lost
 * history refilled from the account still knows which links were made here.
 */
const DESK_ID_FILE = 'desk-id';
const DESK_ID = /^[0-9a-f]{8}$/;

export function loadDeskId(dataDir: string): string {
  const file = join(dataDir, DESK_ID_FILE);
  try {
    const stored = readFileSync(file, 'utf8').trim();
    if (DESK_ID.test(stored)) return stored;
  } catch {
    // first start: made below
  }
  const id = randomBytes(4).toString('hex');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${id}\n`);
  return id;
}

const LINK_DESK_REF = /^LD-([0-9a-f]{8})-[A-Za-z0-9_-]{22}$/;

export function linkOrigin(merchantRef: string | null | undefined, deskId: string): LinkOrigin {
  const match = merchantRef ? LINK_DESK_REF.exec(merchantRef) : null;
  if (!match) return merchantRef?.startsWith('LD-') ? 'other-desk' : 'elsewhere';
  return match[1] === deskId ? 'this-desk' : 'other-desk';
}
