/**
 * `npm run web-bridge -- --port <p> [--data-dir <dir>]`: Link Desk in a browser, for UI work and
 * tests where no Electron binary is available. Listens on 127.0.0.1 only.
 */
import { parseArgs } from 'node:util';
import { startBridgeApp, type BridgeAppOptions } from './bridge-app';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5180' },
    'data-dir': { type: 'string' },
    'keychain-service': { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a number between 0 and 65535, not "${values.port}".`);
  process.exit(2);
}

const options: BridgeAppOptions = { port };
if (values['data-dir']) options.dataDir = values['data-dir'];
if (values['keychain-service']) options.keychainService = values['keychain-service'];

try {
  const app = await startBridgeApp(options);
  console.info(`Link Desk web bridge ready: ${app.url}`);
  console.info(`Data directory: ${app.dataDir}`);
  const stop = () => void app.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
