import { randomBytes, randomInt } from 'node:crypto';

const UPPER_ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER_ALNUM = '0123456789abcdefghijklmnopqrstuvwxyz';

function randomFrom(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** `STX_`, `PCI_`, `PCU_` … + 30 of [0-9A-Z] (API-NOTES §4.3). */
export function objectId(prefix: string): string {
  return `${prefix}_${randomFrom(UPPER_ALNUM, 30)}`;
}

/** Access tokens seen in the wild are 26 lowercase alphanumerics (API-NOTES §2). */
export function accessToken(): string {
  return randomFrom(LOWER_ALNUM, 26);
}

/** The Flex-era `transaction_hash` on payment transactions: 20 lowercase alphanumerics. */
export function transactionHash(): string {
  return randomFrom(LOWER_ALNUM, 20);
}

export function supportId(): string {
  return randomBytes(16).toString('hex');
}

/** The "TA code" on the payer's bank statement: eight digits like the recorded 40015111. */
export function transId(): number {
  return randomInt(40_000_000, 99_999_999);
}

/** ISO 8601 with the local offset, as the API writes it: `2021-04-28T12:00:00+02:00`. */
export function isoWithOffset(date: Date = new Date()): string {
  const offsetMinutes = -date.getTimezoneOffset();
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
