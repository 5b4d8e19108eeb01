import { useLayoutEffect } from 'react';
import { qrMatrix } from '../qr';

export interface QrCodeProps {
  url: string;
  label: string;
  className?: string;
  /** Called once the code has been painted (used for the UI benchmark's marks). */
  onPainted?: () => void;
  /** Copies (the print sheet) leave out the test hook, so tests find exactly one code on screen. */
  testHook?: boolean;
}

/** The payment link as a crisp, scalable QR code: one SVG path, quiet zone included. */
export function QrCode({ url, label, className, onPainted, testHook = true }: QrCodeProps) {
  const { size, path } = qrMatrix(url);
  useLayoutEffect(() => {
    if (!onPainted) return;
    // rAF runs just before the frame is painted; the task after it runs once it has been.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(onPainted, 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [url, onPainted]);
  return (
    <svg
      className={className ? `qr-code ${className}` : 'qr-code'}
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      shapeRendering="crispEdges"
      data-testid={testHook ? 'qr-code' : undefined}
      data-qr-payload={testHook ? url : undefined}
      xmlns="http://www.w3.org/2000/svg"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
