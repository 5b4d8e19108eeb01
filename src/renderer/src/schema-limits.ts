import { z } from 'zod';
import { CreateLinkInputSchema, CustomerSchema, ReturnUrlsSchema } from '../../shared/link';

/** A string schema's `.max()`, read from the schema itself so a form field can never allow more. */
export function maxLengthOf(schema: z.ZodType): number | undefined {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
  return inner instanceof z.ZodString ? (inner.maxLength ?? undefined) : undefined;
}

const address = CustomerSchema.shape.address.unwrap().shape;

/** The new-link form's `maxLength`s, equal to what main accepts. */
export const CREATE_LINK_LIMITS = {
  reference: maxLengthOf(CreateLinkInputSchema.shape.reference),
  returnUrl: maxLengthOf(ReturnUrlsSchema.shape.success),
  customer: Object.fromEntries(Object.entries(CustomerSchema.shape).map(([key, schema]) => [key, maxLengthOf(schema)])) as Record<
    keyof typeof CustomerSchema.shape,
    number | undefined
  >,
  address: Object.fromEntries(Object.entries(address).map(([key, schema]) => [key, maxLengthOf(schema)])) as Record<
    keyof typeof address,
    number | undefined
  >,
};
