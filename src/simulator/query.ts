import { invalidValue } from './api-errors';
import type { SmartTransaction } from './types';

/**
 * The subset of the API's Lucene-like `q` (API-NOTES §3.1) a Payment Link desk needs:
 * `field:value` terms joined by `AND`, dotted paths into arrays (`transactions.id:PCI_…`),
 * `*`/`?` wildcards and double-quoted values. Anything else is refused as `Invalid value for q`
 * rather than silently matching everything.
 */
export function parseQuery(q: string): (stx: SmartTransaction) => boolean {
  const terms = q.trim().split(/\s+AND\s+/);
  const predicates = terms.map((term) => {
    const match = /^([A-Za-z_][A-Za-z0-9_.]*):(?:"((?:[^"\\]|\\.)*)"|(\S+))$/.exec(term.trim());
    if (!match || match[1] === undefined) throw invalidValue('q');
    const field = match[1];
    const raw = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '');
    if (/^(OR|NOT)$/.test(raw) || raw === '') throw invalidValue('q');
    const pattern = wildcard(raw);
    return (stx: SmartTransaction) => valuesAt(stx, field.split('.')).some((v) => pattern.test(v));
  });
  return (stx) => predicates.every((p) => p(stx));
}

function wildcard(value: string): RegExp {
  const escaped = value.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

function valuesAt(value: unknown, path: string[]): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuesAt(item, path));
  if (path.length === 0) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return [String(value)];
    return [];
  }
  if (value === null || typeof value !== 'object') return [];
  const [head, ...rest] = path;
  return valuesAt((value as Record<string, unknown>)[head ?? ''], rest);
}

/** `sort=field:asc,field2:desc` on dotted paths; numbers compare as numbers. */
export function parseSort(sort: string): (a: SmartTransaction, b: SmartTransaction) => number {
  const keys = sort.split(',').map((part) => {
    const match = /^([A-Za-z_][A-Za-z0-9_.]*)(?::(asc|desc))?$/i.exec(part.trim());
    if (!match || match[1] === undefined) throw invalidValue('sort');
    return { path: match[1].split('.'), direction: (match[2] ?? 'asc').toLowerCase() === 'desc' ? -1 : 1 };
  });
  return (a, b) => {
    for (const key of keys) {
      const va = firstValue(a, key.path);
      const vb = firstValue(b, key.path);
      const order = compare(va, vb);
      if (order !== 0) return order * key.direction;
    }
    return 0;
  };
}

function firstValue(stx: SmartTransaction, path: string[]): unknown {
  let value: unknown = stx;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}
