import { parseAmount } from '../../shared/money';
import type { LinkRecord } from '../../shared/link';

/**
 * What the history's search looks through, and how a typed search becomes an FTS5 query.
 *
 * The FTS5 tokenizer (`unicode61 remove_diacritics 2`) folds case and accents, so "Müller" and
 * "Muller" meet in "muller". German also writes ü as "ue": for that, every word with an umlaut or
 * ß is indexed a second time transliterated ("mueller"), and every searched word is looked up in
 * both spellings. The internal merchantRef is deliberately not searchable: it holds timestamps and
 * counters that would match unrelated numbers.
 */

const GERMAN_TRANSLITERATION: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue', ß: 'ss', ẞ: 'SS' };

function transliterate(text: string): string {
  return text.replace(/[äöüÄÖÜßẞ]/g, (letter) => GERMAN_TRANSLITERATION[letter] ?? letter);
}

/** "mueller" → "müller": a searched ASCII spelling may stand for an umlaut. */
function umlautSpelling(word: string): string {
  return word.replace(/ae/gi, 'ä').replace(/oe/gi, 'ö').replace(/ue/gi, 'ü');
}

type Searchable = Pick<LinkRecord, 'reference' | 'customer' | 'id' | 'transactionId'>;

/**
 * "RE-2024-00817" or "STX_8Q2K…" written without its separators: one token, so a typed prefix of
 * it is one quick prefix look-up instead of a phrase over tokens ("re", "2024") that half of all
 * links contain.
 */
function compact(text: string): string {
  return text.replace(/[^\p{L}\p{N}]+/gu, '');
}

const hasInnerSeparator = (word: string): boolean => /[\p{L}\p{N}][^\p{L}\p{N}]+[\p{L}\p{N}]/u.test(word);

export function searchText(record: Searchable): string {
  const customer = record.customer;
  const words: string[] = [];
  // References and names: their words, and the whole written without separators when it has any.
  for (const part of [record.reference, customer?.companyname, customer?.forename, customer?.surname]) {
    if (!part) continue;
    words.push(part);
    if (hasInnerSeparator(part)) words.push(compact(part));
  }
  // E-mail addresses by their words ("mueller", "example"), and compact for a typed "j.mueller".
  if (customer?.email) words.push(customer.email, compact(customer.email));
  // Ids only as one token each: nobody types a part from their middle.
  for (const id of [record.id, record.transactionId]) if (id) words.push(compact(id));
  const text = words.join(' ');
  const transliterated = transliterate(text);
  return transliterated === text ? text : `${text} ${transliterated}`;
}

/** An FTS5 string literal: the word is tokenized like the indexed text, so "RE-2024-0" is a phrase. */
function quoted(word: string): string {
  return `"${word.replace(/"/g, '""')}"`;
}

/**
 * The token unicode61 indexes for a spelling of Latin-1 letters and digits (case and accents
 * folded: "Müller" → "muller"), or null for anything whose folding is not that certain.
 */
function indexToken(spelling: string): string | null {
  if (!/^[0-9A-Za-z\u00c0-\u00ff]+$/.test(spelling)) return null;
  const token = spelling.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  return /^[0-9a-z]+$/.test(token) ? token : null;
}

/**
 * The index's terms that start with a token, when there are only a few ("mueller" → mueller),
 * else null. A prefix query makes FTS5 merge the doclists of all its terms before the first row
 * (for the page, and again for the count): looking up a few exact terms instead is about twice
 * as fast for a name that 40,000 links share.
 */
export type TermsStartingWith = (token: string) => string[] | null;

export interface HistorySearch {
  /** FTS5 MATCH expression (every word must match, each as a prefix), or null when nothing is left. */
  match: string | null;
  /** When the whole search reads as an amount ("17,50", "17.50", "1.234,56"): its value in cents. */
  amountCents: number[];
}

export function parseHistorySearch(search: string, termsStartingWith?: TermsStartingWith): HistorySearch {
  const words = search.trim().split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word));
  const terms = words.map((word) => {
    // A word with separators is looked up in its compact form (see `compact`), except an e-mail address.
    const looked = hasInnerSeparator(word) && !word.includes('@') ? compact(word) : word;
    const spellings = new Set([looked, transliterate(looked), umlautSpelling(looked)]);
    const alternatives = new Set([...spellings].flatMap((spelling) => {
      const token = indexToken(spelling);
      const exact = token === null ? null : termsStartingWith?.(token);
      return exact?.length ? exact.map(quoted) : [`${quoted(spelling)}*`];
    }));
    return alternatives.size === 1 ? [...alternatives][0] : `(${[...alternatives].join(' OR ')})`;
  });
  const amountCents = new Set<number>();
  for (const locale of ['de', 'en'] as const) {
    const parsed = parseAmount(search.trim(), locale); // "1 234,50" is one amount
    if (parsed.ok) amountCents.add(parsed.cents);
  }
  return { match: terms.length > 0 ? terms.join(' AND ') : null, amountCents: [...amountCents] };
}
