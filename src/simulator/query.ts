import { invalidValue } from './api-errors';
import type { SmartTransaction } from './types';

/**
 * A query form a list request uses, so a `refuse-query` fault can play an API that does not
 * support it: `q` (any q), `term:<field>`, `range:<field>`, `sort:<field>`,
 * `direction:asc|desc|dsc`. A fault's form may name the field `*` (any field).
 */
export type QueryForm = string;

export interface ParsedQuery {
  matches: (stx: SmartTransaction) => boolean;
  forms: QueryForm[];
}

export interface ParsedSort {
  compare: (a: SmartTransaction, b: SmartTransaction) => number;
  forms: QueryForm[];
}

const FIELD = String.raw`[A-Za-z_][A-Za-z0-9_.]*`;
const QUOTED = String.raw`"(?:[^"\\]|\\.)*"`;
const BOUND = String.raw`${QUOTED}|[^\s\]"]+`;
const TERM = new RegExp(String.raw`^(${FIELD}):(?:\[\s*(${BOUND})\s+TO\s+(${BOUND})\s*\]|(${QUOTED})|([^\s\[\]"]+))`);
const AND = /^\s+AND\s+/;

function unquote(raw: string): string {
  return raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
}

/**
 * The subset of the API's Lucene-like `q` (API-NOTES §3.1, H) a Payment Link desk needs:
 * `field:value` terms and `field:[min TO max]` ranges (inclusive, `*` = open end) joined by
 * `AND`, dotted paths into arrays (`transactions.id:PCI_…`), `*`/`?` wildcards and quoted
 * values. Ranges compare timestamps as instants (`+02:00` and `Z` mix), numbers as numbers.
 * Anything else (`OR`, `NOT`, groups) is refused as `Invalid value for q` rather than silently
 * matching everything. A field the transaction does not have matches nothing (`merchant_ref`
 * is not a field: the wire name is `merchantRef`, API-NOTES §4.1).
 */
export function parseQuery(q: string): ParsedQuery {
  let rest = q.trim();
  const predicates: Array<(stx: SmartTransaction) => boolean> = [];
  const forms: QueryForm[] = ['q'];
  for (;;) {
    const match = TERM.exec(rest);
    if (!match || match[1] === undefined) throw invalidValue('q');
    const path = match[1].split('.');
    if (match[2] !== undefined && match[3] !== undefined) {
      const low = unquote(match[2]);
      const high = unquote(match[3]);
      if (low === '' || high === '') throw invalidValue('q');
      forms.push(`range:${match[1]}`);
      const above = low === '*' ? () => true : boundCheck(low, (order) => order >= 0);
      const below = high === '*' ? () => true : boundCheck(high, (order) => order <= 0);
      predicates.push((stx) => someValueAt(stx, path, (v) => above(v) && below(v)));
    } else {
      const raw = match[4] !== undefined ? unquote(match[4]) : (match[5] ?? '');
      if (/^(OR|NOT|TO)$/.test(raw) || raw === '') throw invalidValue('q');
      const pattern = wildcard(raw);
      const matchesTerm = /[*?]/.test(raw) ? (v: string) => pattern.test(v) : (v: string) => v === raw;
      forms.push(`term:${match[1]}`);
      predicates.push((stx) => someValueAt(stx, path, matchesTerm));
    }
    rest = rest.slice(match[0].length);
    if (rest.trim() === '') break;
    const and = AND.exec(rest);
    if (!and) throw invalidValue('q');
    rest = rest.slice(and[0].length);
  }
  return { matches: (stx) => predicates.every((p) => p(stx)), forms };
}

function wildcard(value: string): RegExp {
  const escaped = value.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** Whether any value at the dotted path (through arrays) passes; allocation-free on plain objects. */
function someValueAt(value: unknown, path: string[], test: (value: string) => boolean, from = 0): boolean {
  let current = value;
  for (let i = from; i < path.length; i++) {
    if (Array.isArray(current)) return current.some((item) => someValueAt(item, path, test, i));
    if (current === null || typeof current !== 'object') return false;
    current = (current as Record<string, unknown>)[path[i] ?? ''];
  }
  if (Array.isArray(current)) return current.some((item) => someValueAt(item, path, test, path.length));
  if (typeof current === 'string') return test(current);
  if (typeof current === 'number' || typeof current === 'boolean') return test(String(current));
  return false;
}

/**
 * `sort=field:asc,field2:desc` on dotted paths (API-NOTES §3.1, H). The current SDK documents
 * `desc`, the old JS docs `dsc` (§12, H/M): both are accepted; a fault can refuse either.
 * Equal keys keep the order of ids, so paging through equal timestamps is stable (assumed, L).
 */
export function parseSort(sort: string): ParsedSort {
  const forms: QueryForm[] = [];
  const keys = sort.split(',').map((part) => {
    const match = /^([A-Za-z_][A-Za-z0-9_.]*)(?::(asc|desc|dsc))?$/i.exec(part.trim());
    if (!match || match[1] === undefined) throw invalidValue('sort');
    const direction = (match[2] ?? 'asc').toLowerCase();
    forms.push(`sort:${match[1]}`, `direction:${direction}`);
    return { path: match[1].split('.'), direction: direction === 'asc' ? 1 : -1 };
  });
  return {
    compare: (a, b) => {
      for (const key of keys) {
        const order = compareValues(firstValue(a, key.path), firstValue(b, key.path));
        if (order !== 0) return order * key.direction;
      }
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    },
    forms,
  };
}

/** Whether a used form is what a fault names (`range:*` names every range). */
export function formMatches(used: QueryForm, named: QueryForm): boolean {
  if (used === named) return true;
  const [usedKind] = used.split(':');
  return named.endsWith(':*') && named.slice(0, -2) === usedKind;
}

function firstValue(stx: SmartTransaction, path: string[]): unknown {
  let value: unknown = stx;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const NUMBER = /^-?\d+(?:\.\d+)?$/;

/** A range end, parsed once: a backfill filters 100 000 transactions per request against it. */
function boundCheck(bound: string, accept: (order: number) => boolean): (value: string) => boolean {
  const boundMs = instantOf(bound);
  if (!Number.isNaN(boundMs)) {
    return (value) => {
      const ms = instantOf(value);
      return Number.isNaN(ms) ? accept(compare(value, bound)) : accept(ms - boundMs);
    };
  }
  return (value) => accept(compare(value, bound));
}

/** A timestamp's epoch ms, NaN if it is none. */
function instantOf(value: string): number {
  return TIMESTAMP.test(value) ? Date.parse(value) : Number.NaN;
}

/** Timestamps as instants, numbers as numbers, everything else as text. */
function compare(a: string, b: string): number {
  const ta = instantOf(a);
  const tb = Number.isNaN(ta) ? Number.NaN : instantOf(b);
  if (!Number.isNaN(ta) && !Number.isNaN(tb)) return ta - tb;
  if (NUMBER.test(a) && NUMBER.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compare(String(a), String(b));
}
