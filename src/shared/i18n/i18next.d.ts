import 'i18next';
import type { en } from './en';

/**
 * Types `t()` from the English catalog: a key that does not exist, or a `{{variable}}` the call
 * leaves out, fails the typecheck. Keys are flat strings, so "." is not a separator.
 */
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    keySeparator: false;
    nsSeparator: false;
    resources: { translation: typeof en };
  }
}
