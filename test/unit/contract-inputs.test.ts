import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CHANNEL_NAMES, CONTRACT } from '../../src/shared/contract';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
  element?: z.ZodType;
  valueType?: z.ZodType;
  checks?: Array<{ _zod: { def: { check: string; maximum?: number; pattern?: RegExp } } }>;
}
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Every object in an input schema that is not strict, and every string without an upper bound. */
function looseParts(schema: z.ZodType, path: string, found: string[]): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      if (def.catchall === undefined || defOf(def.catchall).type !== 'never') found.push(`${path}: object keeps unknown keys`);
      for (const [key, value] of Object.entries(def.shape ?? {})) looseParts(value, `${path}.${key}`, found);
      break;
    case 'string': {
      const checks = (def.checks ?? []).map((c) => c._zod.def);
      // A maximum length, or a pattern anchored at both ends with bounded repetition (e.g. ^\d{4,8}$).
      const bounded = checks.some((c) => c.check === 'max_length' || (c.check === 'string_format' && c.pattern && /^\^.*\$$/.test(c.pattern.source) && !/[*+]/.test(c.pattern.source)));
      if (!bounded) found.push(`${path}: string without a length limit`);
      break;
    }
    case 'optional': case 'nullable': case 'default': case 'prefault': case 'readonly': case 'catch':
      looseParts(def.innerType as z.ZodType, path, found);
      break;
    case 'pipe':
      looseParts(def.in as z.ZodType, path, found);
      break;
    case 'union':
      for (const option of def.options ?? []) looseParts(option, path, found);
      break;
    case 'array':
      looseParts(def.element as z.ZodType, `${path}[]`, found);
      break;
    case 'record':
      looseParts(def.valueType as z.ZodType, `${path}{}`, found);
      break;
    default:
      break;
  }
  return found;
}

describe('IPC contract inputs', () => {
  it('refuse unknown keys in every object and bound every string, on every channel', () => {
    const problems = CHANNEL_NAMES.flatMap((channel) => looseParts(CONTRACT[channel].input, channel, []));
    expect(problems).toEqual([]);
  });

  it('would notice a loose object or an unbounded string (the check itself works)', async () => {
    const { z: zod } = await import('zod');
    expect(looseParts(zod.object({ a: zod.string() }), 'x', [])).toEqual(['x: object keeps unknown keys', 'x.a: string without a length limit']);
    expect(looseParts(zod.object({ a: zod.string().max(3).optional() }).strict(), 'x', [])).toEqual([]);
  });
});
