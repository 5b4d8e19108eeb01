import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { startBridgeApp, type RunningBridgeApp } from '../../src/web-bridge/bridge-app';
import { createInMemorySecretStore } from '../../src/main/secret-store';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';

// Needs the built renderer (`npm run build`), which the test command does first.
const built = existsSync('out/renderer/index.html') && existsSync('out/web-bridge/preload.js');

describe.skipIf(!built)('web bridge transport', () => {
  let app: RunningBridgeApp;
  let origin: string;
  beforeAll(async () => {
    app = await startBridgeApp({ secretStore: createInMemorySecretStore() });
    origin = app.url.replace(/\/$/, '');
  });
  afterAll(() => app.close());

  const post = (channel: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${origin}/ipc/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', origin, 'x-link-desk-frame': 'top', 'x-link-desk-window': 'main', ...headers }, body });

  it('serves the renderer with the stand-in preload and a CSP', async () => {
    const response = await fetch(app.url);
    const html = await response.text();
    expect(html).toContain('<script src="/__bridge/preload.js"></script>');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).not.toContain('unsafe-eval');
  });

  it('answers IPC calls with the same values as Electron', async () => {
    const result = await (await post('app.info', '{}')).json();
    expect(result).toMatchObject({ ok: true, value: { shell: 'web-bridge', environment: 'demo', isDemo: true } });
  });

  it('refuses other origins, foreign hosts, sub-frames and malformed payloads — and changes nothing', async () => {
    const evil = await post('settings.save', JSON.stringify({ settings: { ...DEFAULT_SETTINGS, environment: 'live' } }), { origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    // fetch cannot forge Host; a DNS-rebinding page would reach us with its own host name.
    const rebindingStatus = await new Promise<number>((resolve, reject) => {
      const req = request(`${origin}/ipc/app.info`, { method: 'POST', headers: { host: 'attacker.example', origin } }, (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      req.end('{}');
    });
    expect(rebindingStatus).toBe(403);
    const subFrame = await (await post('settings.save', JSON.stringify({ settings: { ...DEFAULT_SETTINGS, environment: 'live' } }), { 'x-link-desk-frame': 'sub' })).json();
    expect(subFrame).toMatchObject({ ok: false, error: { code: 'ipc.forbidden_sender' } });
    const notJson = await (await post('settings.save', '{"settings": ')).json();
    expect(notJson).toMatchObject({ ok: false, error: { code: 'ipc.invalid_input' } });
    const badShape = await (await post('settings.save', JSON.stringify({ settings: { ...DEFAULT_SETTINGS, environment: 'mars' } }))).json();
    expect(badShape).toMatchObject({ ok: false, error: { code: 'ipc.invalid_input', fields: { 'settings.environment': expect.any(String) } } });
    const view = await (await post('settings.get', '{}')).json();
    expect(view.value.settings.environment).toBe('demo');
  });

  it('takes only JSON: text/plain or a form post changes nothing (415)', async () => {
    const live = JSON.stringify({ settings: { ...DEFAULT_SETTINGS, environment: 'live' } });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp']) {
      const response = await post('settings.save', live, { 'content-type': type });
      expect(response.status, type).toBe(415);
      expect(await response.text()).toMatch(/application\/json/);
    }
    expect((await post('settings.save', live, { 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
    await post('settings.save', JSON.stringify({ settings: DEFAULT_SETTINGS }));
  });

  it('answers malformed percent-encoding with a clean 400, in IPC and file paths', async () => {
    const ipc = await post('settings.get%E0%A4%A', '{}');
    expect(ipc.status).toBe(400);
    expect(await ipc.text()).toMatch(/percent-encoding/);
    const file = await fetch(`${origin}/assets/%E0%A4%A.js`);
    expect(file.status).toBe(400);
  });

  it('says a body over the limit is too large (413), not that it is not JSON', async () => {
    const response = await post('links.create', JSON.stringify({ reference: 'x'.repeat(2 * 1024 * 1024) })).catch(() => null);
    // The bridge answers 413 and closes; fetch may see the answer or the closed socket, never a 200.
    if (response) {
      expect(response.status).toBe(413);
      expect(await response.text()).toMatch(/too large/);
    }
    const declared = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${origin}/ipc/links.create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin, 'content-length': String(5 * 1024 * 1024), 'x-link-desk-window': 'main' },
      }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(declared.status).toBe(413);
    expect(declared.text).toMatch(/too large/);
  });

  it('treats a page that does not say it is the main window like the customer display', async () => {
    for (const headers of [{ 'x-link-desk-window': 'customer-display' }, { 'x-link-desk-window': '' }]) {
      const refused = await (await post('secret.set', JSON.stringify({ secret: 'abcdefgh' }), headers)).json();
      expect(refused).toMatchObject({ ok: false, error: { code: 'ipc.forbidden_sender' } });
    }
    const own = await (await post('links.get', JSON.stringify({ merchantRef: 'LD-unknown' }), { 'x-link-desk-window': 'customer-display' })).json();
    expect(own).toMatchObject({ ok: false, error: { code: 'link.not_found' } });
  });

  it('streams main events to the page', async () => {
    const controller = new AbortController();
    const events = await fetch(`${origin}/__bridge/events`, { signal: controller.signal });
    const reader = events.body!.getReader();
    await reader.read(); // ": connected"
    await post('settings.save', JSON.stringify({ settings: { ...DEFAULT_SETTINGS, merchantName: 'Bäckerei Sonne' } }));
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toContain('"type":"settings.changed"');
    expect(new TextDecoder().decode(value)).toContain('Bäckerei Sonne');
    controller.abort();
  });
});
