import type { ChannelInput, ChannelName, ChannelOutput, IpcResult, LinkDeskApi } from '../../shared/contract';
import type { AppError } from '../../shared/errors';

declare global {
  interface Window {
    /** Provided by the preload (Electron) or by the web bridge's stand-in preload. */
    linkDesk: LinkDeskApi;
  }
}

/** Asks the merchant for the owner PIN; true once main has accepted it. */
export type PinPrompt = (error: AppError) => Promise<boolean>;
let pinPrompt: PinPrompt | null = null;

/** The PIN dialog registers itself here, so every protected call in every screen gets it. */
export function setPinPrompt(prompt: PinPrompt | null): void {
  pinPrompt = prompt;
}

/**
 * Calls main. Never throws for app errors: failures come back as `{ ok: false, error }`. When
 * main answers that the owner PIN is needed, the PIN dialog asks for it and the call is sent
 * again; cancelling the dialog returns main's answer as it was.
 */
export async function call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<IpcResult<ChannelOutput<C>>> {
  let result = await send(channel, input);
  while (!result.ok && (result.error.code === 'pin.required' || result.error.code === 'pin.locked') && pinPrompt) {
    if (!(await pinPrompt(result.error))) return result;
    result = await send(channel, input);
  }
  return result;
}

async function send<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<IpcResult<ChannelOutput<C>>> {
  try {
    const fn = window.linkDesk[channel] as (input: ChannelInput<C>) => Promise<IpcResult<ChannelOutput<C>>>;
    return await fn(input);
  } catch {
    // The transport itself failed (web bridge stopped, main crashed): say so like any other error.
    return { ok: false, error: { code: 'internal', message: 'Link Desk is not responding.' } };
  }
}

export function subscribe(listener: Parameters<LinkDeskApi['subscribe']>[0]): () => void {
  return window.linkDesk.subscribe(listener);
}
