import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/shared/i18n/en';
import { de } from '../../src/shared/i18n/de';
import { formatCount, isMessageKey, pickLanguage, translator, type MessageKey } from '../../src/shared/i18n';

const root = join(import.meta.dirname, '../..');
const catalogFiles = new Set(['src/shared/i18n/en.ts', 'src/shared/i18n/de.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !catalogFiles.has(relative(root, path)) ? [path] : [];
  });
}

const variables = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();
const templatePlaceholders = (text: string) => [...text.matchAll(/(?<!\{)\{(\w+)\}(?!\})/g)].map((m) => m[1]).sort();
/** `history.waiting_one` → `history.waiting`: code asks for the base key with a count. */
const baseKey = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

describe('text catalog', () => {
  const keys = Object.keys(en) as MessageKey[];

  it('has every key in both languages, and no key in one language only', () => {
    expect(Object.keys(de).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      expect(en[key].trim(), `en ${key}`).not.toBe('');
      expect(de[key].trim(), `de ${key}`).not.toBe('');
    }
  });

  it('asks for the same variables and template placeholders in both languages', () => {
    for (const key of keys) {
      // A plural's "one" form may leave out the number ("Cancel the expired link").
      if (!key.endsWith('_one')) expect(variables(de[key]), key).toEqual(variables(en[key]));
      expect(templatePlaceholders(de[key]), key).toEqual(templatePlaceholders(en[key]));
    }
  });

  it('gives every plural text both its one and other form', () => {
    for (const key of keys.filter((k) => /_(one|other)$/.test(k))) {
      expect(isMessageKey(`${baseKey(key)}_one`), key).toBe(true);
      expect(isMessageKey(`${baseKey(key)}_other`), key).toBe(true);
      if (key.endsWith('_other')) expect(en[key], key).toContain('{{count, number}}');
    }
  });

  it('has no key the code does not use', () => {
    const code = sourceFiles(join(root, 'src')).map((file) => readFileSync(file, 'utf8')).join('\n');
    const unused = keys.filter((key) => {
      const base = baseKey(key);
      return ![`'${base}'`, `"${base}"`, `\`${base}\``].some((literal) => code.includes(literal));
    });
    expect(unused).toEqual([]);
  });

  it('has a text for every message key the shared schemas and main report', () => {
    const files = [...sourceFiles(join(root, 'src/shared')), ...sourceFiles(join(root, 'src/main'))];
    const reported = new Set<string>();
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(/message: '((?:validation|amount)\.[a-z_]+)'/g)) reported.add(m[1] ?? '');
    }
    expect(reported.size).toBeGreaterThan(10);
    expect([...reported].filter((key) => !isMessageKey(key))).toEqual([]);
  });
});

describe('translator', () => {
  it('uses the language’s plural rule and Intl numbers', () => {
    const tDe = translator('de');
    const tEn = translator('en');
    expect(tDe('history.totals.count', { count: 1 })).toBe('1 Link');
    expect(tDe('history.totals.count', { count: 1234 })).toBe('1.234 Links');
    expect(tEn('history.totals.count', { count: 0 })).toBe('0 links');
    expect(tEn('history.totals.count', { count: 1234 })).toBe('1,234 links');
    expect(formatCount(1234567, 'de')).toBe('1.234.567');
  });

  it('fills variables and leaves e-mail template placeholders alone', () => {
    expect(translator('en')('error.supportId', { id: 'SUP-1' })).toBe('Support ID: SUP-1');
    expect(translator('de')('email.default.subject')).toBe('Zahlungslink über {amount}');
  });

  it('rejects keys that are not in the catalog at compile time', () => {
    const t = translator('en');
    // @ts-expect-error: not a key of the catalog; if this compiled, keys would not be checked.
    expect(t('no.such.key')).toBe('no.such.key');
    // @ts-expect-error: the text needs {{id}}; leaving it out must not compile.
    expect(t('error.supportId')).toContain('Support ID');
  });

  it('picks the first preferred language it has', () => {
    expect(pickLanguage(['fr-FR', 'de-AT', 'en-US'])).toBe('de');
    expect(pickLanguage(['en-US', 'de-DE'])).toBe('en');
    expect(pickLanguage(['fr-FR'])).toBe('en');
    expect(pickLanguage(['de_DE.UTF-8'])).toBe('de');
  });
});
