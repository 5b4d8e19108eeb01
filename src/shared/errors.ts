import { z } from 'zod';

/**
 * Stable error codes that cross the IPC boundary. The renderer maps them to text;
 * tests assert on them. Add codes, never rename them.
 */
export const ERROR_CODES = [
  'ipc.forbidden_sender',
  'ipc.unknown_channel',
  'ipc.invalid_input',
  'ipc.invalid_output',
  'settings.invalid',
  'settings.not_configured',
  'keychain.unavailable',
  'auth.invalid_credentials',
  'auth.missing_secret',
  'network.offline',
  'network.timeout',
  'network.connection_lost',
  'api.validation',
  'api.not_found',
  'api.not_allowed',
  'api.rate_limited',
  'api.server',
  'api.unexpected_response',
  'link.not_found',
  'link.not_allowed',
  'history.damaged',
  'history.io',
  /** The owner PIN is set and this action needs it: the renderer asks for it and retries. */
  'pin.required',
  /** Too many wrong PINs: locked for a while (the error says until when). */
  'pin.locked',
  'pin.wrong',
  'internal',
] as const;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** The only shape in which a failure reaches the renderer: no stack, no secret. */
export const AppErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  /** secuconnect's support id, when the API gave one: the merchant quotes it to secupay support. */
  supportId: z.string().optional(),
  /** The German text the API returned for the person (`error_user`). */
  userMessage: z.string().optional(),
  /** Field path (dotted, in the app's create-link form terms) → message, for validation errors. */
  fields: z.record(z.string(), z.string()).optional(),
});
export type AppError = z.infer<typeof AppErrorSchema>;

/**
 * Thrown inside main; the IPC binding turns it into an {@link AppError} value.
 * Anything else that is thrown becomes `internal` with a generic message, because its
 * text may carry details (paths, tokens) the renderer must not see.
 */
export class AppFailure extends Error {
  readonly code: ErrorCode;
  readonly supportId?: string;
  readonly userMessage?: string;
  readonly fields?: Record<string, string>;

  constructor(error: AppError) {
    super(error.message);
    this.name = 'AppFailure';
    this.code = error.code;
    if (error.supportId !== undefined) this.supportId = error.supportId;
    if (error.userMessage !== undefined) this.userMessage = error.userMessage;
    if (error.fields !== undefined) this.fields = error.fields;
  }

  toValue(): AppError {
    const value: AppError = { code: this.code, message: this.message };
    if (this.supportId !== undefined) value.supportId = this.supportId;
    if (this.userMessage !== undefined) value.userMessage = this.userMessage;
    if (this.fields !== undefined) value.fields = this.fields;
    return value;
  }
}

export function isAppFailure(error: unknown): error is AppFailure {
  return error instanceof AppFailure;
}

/** Lists every failing path of a zod error, e.g. `basket_info.sum: expected number`. */
export function describeZodIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/** Field path → first message, for showing validation errors next to their inputs. */
export function zodIssuesByField(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.');
    if (!(key in fields)) fields[key] = issue.message;
  }
  return fields;
}
