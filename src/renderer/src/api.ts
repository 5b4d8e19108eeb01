import type { ChannelInput, ChannelName, ChannelOutput, IpcResult, LinkDeskApi } from '../../shared/contract';

declare global {
  interface Window {
    /** Provided by the preload (Electron) or by the web bridge's stand-in preload. */
    linkDesk: LinkDeskApi;
  }
}

/** Calls main. Never throws for app errors: failures come back as `{ ok: false, error }`. */
export async function call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<IpcResult<ChannelOutput<C>>> {
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
