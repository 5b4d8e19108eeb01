/** Offers a file for download: Electron shows its save dialog, a browser saves it. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Revoked later: the download may still be reading it when click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
