import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { CHANNEL_NAMES, IPC_PREFIX } from '../../shared/contract/channel-names';
import type { Dispatch, SenderInfo } from '../ipc/dispatcher';

function senderOf(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  return { url: frame?.url ?? '', isTopFrame: frame != null && frame.parent === null };
}

/** Binds every contract channel to the dispatcher, which checks the sender and the payload. */
export function bindIpc(ipcMain: IpcMain, dispatch: Dispatch): void {
  for (const name of CHANNEL_NAMES) {
    ipcMain.handle(`${IPC_PREFIX}${name}`, (event, payload: unknown) => dispatch(name, senderOf(event), payload));
  }
}
