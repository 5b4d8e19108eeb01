import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { AppCore } from '../main/app-core';
import { contentSecurityPolicy } from '../shared/csp';
import { describe } from '../main/log';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
};

const MAX_BODY_BYTES = 1024 * 1024;

export interface WebBridgeOptions {
  core: AppCore;
  rendererDir: string;
  preloadFile: string;
  port?: number;
}

export interface RunningWebBridge {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the built renderer and carries IPC over HTTP on loopback, so the real app (minus
 * Electron's transport) can be used and tested in a browser. Only requests from its own
 * origin are served: another web page in the same browser must not be able to drive it.
 */
export async function startWebBridge(options: WebBridgeOptions): Promise<RunningWebBridge> {
  const eventStreams = new Set<ServerResponse>();
  let origin = '';
  let allowedHosts: Set<string> = new Set();

  const unsubscribe = options.core.events.subscribe((event) => {
    const frame = `data: ${JSON.stringify(event)}\n\n`;
    for (const stream of eventStreams) stream.write(frame);
  });

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      options.core.log.error(`[web-bridge] ${req.method ?? ''} ${(req.url ?? '').slice(0, 200)} failed: ${describe(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal error');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Host check defeats DNS rebinding; Origin check defeats other pages posting to us.
    if (!allowedHosts.has(req.headers.host ?? '')) return plain(res, 403, 'Forbidden host');
    const requestOrigin = req.headers.origin;
    if (requestOrigin !== undefined && requestOrigin !== origin) return plain(res, 403, 'Forbidden origin');

    const url = new URL(req.url ?? '/', origin);
    const pathname = decodePath(url.pathname);
    if (pathname === null) return plain(res, 400, 'Malformed percent-encoding in the path');
    if (pathname.startsWith('/ipc/')) {
      if (req.method !== 'POST') return plain(res, 405, 'POST only');
      if (requestOrigin === undefined) return plain(res, 403, 'Origin required');
      // Only JSON: a form or text/plain post (which a page may send without a CORS preflight) is refused.
      if (!isJsonContentType(req.headers['content-type'])) return plain(res, 415, 'Content-Type must be application/json');
      const body = await readJsonBody(req);
      if (body.tooLarge) {
        res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
        res.end(`Request body too large (limit ${MAX_BODY_BYTES} bytes)`);
        req.destroy();
        return;
      }
      const channel = pathname.slice('/ipc/'.length);
      // Electron knows the window from its WebContents; behind a browser the stand-in preload says which page it is.
      const role = req.headers['x-link-desk-window'] === 'main' ? 'main' : 'customer-display';
      const sender = { url: `${origin}/`, isTopFrame: req.headers['x-link-desk-frame'] === 'top', role } as const;
      const result = body.ok
        ? await options.core.dispatch(channel, sender, body.value)
        : { ok: false as const, error: { code: 'ipc.invalid_input' as const, message: 'The request body is not valid JSON.' } };
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(result));
      return;
    }
    if (pathname === '/__bridge/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      eventStreams.add(res);
      req.on('close', () => eventStreams.delete(res));
      return;
    }
    if (pathname === '/__bridge/preload.js') return sendFile(res, options.preloadFile);
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed');
    return serveRenderer(pathname, res);
  }

  async function serveRenderer(pathname: string, res: ServerResponse): Promise<void> {
    const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
    const file = normalize(join(options.rendererDir, relative));
    if (!file.startsWith(options.rendererDir + sep) && file !== options.rendererDir) return plain(res, 404, 'Not found');
    if (relative === 'index.html') {
      const html = await readFile(file, 'utf8');
      // The stand-in preload must define window.linkDesk before the app's module scripts run.
      const withPreload = html.replace('<head>', '<head>\n    <script src="/__bridge/preload.js"></script>');
      res.writeHead(200, { 'content-type': CONTENT_TYPES['.html'], 'content-security-policy': contentSecurityPolicy({ dev: false }), 'cache-control': 'no-store' });
      res.end(withPreload);
      return;
    }
    return sendFile(res, file);
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const heartbeat = setInterval(() => {
    for (const stream of eventStreams) stream.write(': keep-alive\n\n');
  }, 15_000);
  heartbeat.unref();

  return {
    url: `${origin}/`,
    async close() {
      clearInterval(heartbeat);
      unsubscribe();
      for (const stream of eventStreams) stream.end();
      const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      // Open pages keep event streams and keep-alive sockets; close() alone would wait for them forever.
      server.closeAllConnections();
      await closed;
    },
  };
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

async function sendFile(res: ServerResponse, file: string): Promise<void> {
  try {
    const data = await readFile(file);
    res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(data);
  } catch {
    plain(res, 404, 'Not found');
  }
}

function decodePath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

function isJsonContentType(header: string | undefined): boolean {
  return header?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

type BodyResult = { ok: true; value: unknown; tooLarge?: false } | { ok: false; tooLarge: boolean };

async function readJsonBody(req: IncomingMessage): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return { ok: false, tooLarge: true };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return { ok: false, tooLarge: true };
    chunks.push(buffer);
  }
  try {
    const text = Buffer.concat(chunks).toString('utf8');
    return { ok: true, value: text === '' ? {} : (JSON.parse(text) as unknown) };
  } catch {
    // Not JSON: answered as an `ipc.invalid_input` error value, like any other bad payload.
    return { ok: false, tooLarge: false };
  }
}
