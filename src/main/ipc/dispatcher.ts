import {
  CONTRACT,
  CHANNEL_NAMES,
  CUSTOMER_DISPLAY_CHANNELS,
  PIN_PROTECTED_CHANNELS,
  type ChannelName,
  type ChannelOutput,
  type IpcResult,
  type ParsedChannelInput,
  type WindowRole,
} from '../../shared/contract';
import { AppFailure, describeZodIssues, zodIssuesByField, type AppError } from '../../shared/errors';
import type { Redactor } from '../redaction';

/** Who sent an IPC message: the frame's URL and whether it is the window's top-level frame. */
export interface SenderInfo {
  url: string;
  isTopFrame: boolean;
  /**
   * Which of our windows sent it. Electron's binding and the web bridge always say; callers
   * inside main (tests, harnesses) may leave it out and count as the main window.
   */
  role?: WindowRole;
}

export type ChannelHandler<C extends ChannelName> = (input: ParsedChannelInput<C>) => Promise<ChannelOutput<C>>;
export type HandlerTable = { [C in ChannelName]: ChannelHandler<C> };

export type Dispatch = (channel: string, sender: SenderInfo, payload: unknown) => Promise<IpcResult<unknown>>;

export interface DispatcherOptions {
  handlers: HandlerTable;
  isTrustedSender: (sender: SenderInfo) => boolean;
  redactor: Redactor;
  logError?: (line: string) => void;
  /** Throws `pin.required` / `pin.locked` while an owner PIN is set and not open. */
  requireOwnerPin?: () => Promise<void>;
}

const KNOWN_CHANNELS: ReadonlySet<string> = new Set(CHANNEL_NAMES);
const DISPLAY_CHANNELS: ReadonlySet<string> = new Set(CUSTOMER_DISPLAY_CHANNELS);
const PROTECTED_CHANNELS: ReadonlySet<string> = new Set(PIN_PROTECTED_CHANNELS);

/**
 * The single gate every IPC call passes, for Electron's ipcMain and for the web bridge alike:
 * (1) the sender must be our own top-level page, and the customer display may call only its
 * own few channels, (2) the channel must be in the contract, (3) the payload must parse with the
 * channel's input schema, (4) a PIN-protected channel needs the owner PIN open, (5) the
 * handler's answer is re-parsed with the output schema, and (6) anything thrown becomes an
 * error value with a stable code — never a stack trace, never a secret.
 */
export function createDispatcher(options: DispatcherOptions): Dispatch {
  const logError = options.logError ?? ((line: string) => console.error(line));

  return async (channel, sender, payload) => {
    if (!options.isTrustedSender(sender)) {
      return failure({ code: 'ipc.forbidden_sender', message: 'This request did not come from the Link Desk window.' });
    }
    if ((sender.role ?? 'main') !== 'main' && !DISPLAY_CHANNELS.has(channel)) {
      logError(`[ipc] refused ${channel.slice(0, 60)} from the customer display`);
      return failure({ code: 'ipc.forbidden_sender', message: 'The customer display may not do this.' });
    }
    if (!KNOWN_CHANNELS.has(channel)) {
      return failure({ code: 'ipc.unknown_channel', message: 'Unknown request.' });
    }
    const name = channel as ChannelName;
    const spec = CONTRACT[name];
    const parsed = spec.input.safeParse(payload);
    if (!parsed.success) {
      return failure({
        code: 'ipc.invalid_input',
        message: `Invalid input: ${describeZodIssues(parsed.error)}`,
        fields: zodIssuesByField(parsed.error),
      });
    }
    try {
      if (PROTECTED_CHANNELS.has(name)) await options.requireOwnerPin?.();
      const handler = options.handlers[name] as (input: unknown) => Promise<unknown>;
      const output = await handler(parsed.data);
      const checked = spec.output.safeParse(output);
      if (!checked.success) {
        logError(`[ipc] ${name}: handler output does not match the contract: ${describeZodIssues(checked.error)}`);
        return failure({ code: 'ipc.invalid_output', message: 'The app produced an unexpected answer.' });
      }
      return { ok: true, value: checked.data };
    } catch (error) {
      if (error instanceof AppFailure) return failure(scrub(error.toValue(), options.redactor));
      // Unknown failures may carry paths or tokens in their text: log them redacted, tell the renderer only that it failed.
      const detail = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
      logError(`[ipc] ${name} failed: ${options.redactor.redact(detail)}`);
      return failure({ code: 'internal', message: 'Something went wrong inside Link Desk.' });
    }
  };
}

function failure(error: AppError): IpcResult<never> {
  return { ok: false, error };
}

function scrub(error: AppError, redactor: Redactor): AppError {
  const clean: AppError = { ...error, message: redactor.redact(error.message) };
  if (error.userMessage !== undefined) clean.userMessage = redactor.redact(error.userMessage);
  return clean;
}
