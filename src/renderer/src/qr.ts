import { create } from 'qrcode';

/** The QR standard asks for a light margin of four modules around the symbol. */
export const QUIET_ZONE = 4;

export interface QrMatrix {
  /** Modules per side including the quiet zone. */
  size: number;
  /** One SVG path of unit squares (one per dark module run), in module coordinates. */
  path: string;
  isDark: (row: number, col: number) => boolean;
  symbolSize: number;
}

const cache = new Map<string, QrMatrix>();

/** Encodes with error correction M, which survives a scratched screen or a glare spot. */
export function qrMatrix(text: string): QrMatrix {
  const cached = cache.get(text);
  if (cached) return cached;
  const modules = create(text, { errorCorrectionLevel: 'M' }).modules;
  const n = modules.size;
  const isDark = (row: number, col: number) => modules.data[row * n + col] === 1;
  // Horizontal runs of dark modules become one rectangle each: a path a few KB long, not one
  // element per module, so React mounts it in one go and it scales without seams.
  const parts: string[] = [];
  for (let row = 0; row < n; row++) {
    let col = 0;
    while (col < n) {
      if (!isDark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && isDark(row, col)) col++;
      parts.push(`M${start + QUIET_ZONE} ${row + QUIET_ZONE}h${col - start}v1h${start - col}z`);
    }
  }
  const matrix = { size: n + 2 * QUIET_ZONE, path: parts.join(''), isDark, symbolSize: n };
  if (cache.size > 50) cache.clear();
  cache.set(text, matrix);
  return matrix;
}

/** A standalone SVG file of the code (for saving), black on white. */
export function qrSvgFile(text: string, pixelsPerModule = 10): string {
  const { size, path } = qrMatrix(text);
  const px = size * pixelsPerModule;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg>\n`;
}

/** A PNG of the code, sharp enough for print (about 12 px per module). */
export async function qrPngBlob(text: string, pixelsPerModule = 12): Promise<Blob> {
  const { size, symbolSize, isDark } = qrMatrix(text);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size * pixelsPerModule;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('Canvas is not available.');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = '#000';
  for (let row = 0; row < symbolSize; row++) {
    for (let col = 0; col < symbolSize; col++) {
      if (isDark(row, col)) context.fillRect((col + QUIET_ZONE) * pixelsPerModule, (row + QUIET_ZONE) * pixelsPerModule, pixelsPerModule, pixelsPerModule);
    }
  }
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG could not be made.'))), 'image/png'));
}


/** A file name from the reference (or the merchant ref), safe on every OS. */
export function qrFileName(label: string, extension: 'png' | 'svg'): string {
  const safe = label.normalize('NFKD').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'payment-link';
  return `qr-${safe}.${extension}`;
}
