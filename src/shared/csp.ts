/**
 * The renderer's Content-Security-Policy: only our own scripts, no eval, no remote origins.
 * Styles may be inline because React sets `style` props; images may be data:/blob: for the QR PNG.
 */
export function contentSecurityPolicy(options: { dev: boolean }): string {
  const directives = [
    "default-src 'self'",
    options.dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    options.dev ? "connect-src 'self' ws: http://localhost:*" : "connect-src 'self'",
    "media-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ];
  return directives.join('; ');
}
