import type { BrowserWindow, IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNEL_NAMES, IPC_PREFIX, type WindowRole } from '../../shared/contract/channel-names';
import type { Dispatch, SenderInfo } from '../ipc/dispatcher';

/**
 * Which window is which, by its WebContents: main decides from this (not from anything the
 * page says) what a sender may call. A sender we never registered gets the least trust.
 */
export function createWindowRoles() {
  const roles = new WeakMap<WebContents, WindowRole>();
  return {
    assign(window: BrowserWindow, role: WindowRole): void {
      roles.set(window.webContents, role);
    },
    roleOf(contents: WebContents | undefined): WindowRole {
      return (contents && roles.get(contents)) ?? 'customer-display';
    },
  };
}

export type WindowRoles = ReturnType<typeof createWindowRoles>;

function senderOf(event: IpcMainInvokeEvent, roles: WindowRoles): SenderInfo {
  const frame = event.senderFrame;
  return { url: frame?.url ?? '', isTopFrame: frame != null && frame.parent === null, role: roles.roleOf(event.sender) };
}

/** Binds every contract channel to the dispatcher, which checks the sender, its window's role and the payload. */
export function bindIpc(ipcMain: IpcMain, dispatch: Dispatch, roles: WindowRoles): void {
  for (const name of CHANNEL_NAMES) {
    ipcMain.handle(`${IPC_PREFIX}${name}`, (event, payload: unknown) => dispatch(name, senderOf(event, roles), payload));
  }
}
