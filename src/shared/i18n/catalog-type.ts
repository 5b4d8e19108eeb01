import type { en } from './en';

/** Every text key, e.g. `'link.copyLink'` or, for plural texts, `'history.waiting_one'`. */
export type MessageKey = keyof typeof en;

/** The shape every language's catalog has: all keys of en.ts, each a string. */
export type Catalog = { readonly [K in MessageKey]: string };

/** Keys whose text needs no variables: the ones code may pick from data (statuses, error codes). */
export type PlainKey = { [K in MessageKey]: (typeof en)[K] extends `${string}{{${string}` ? never : K }[MessageKey];
