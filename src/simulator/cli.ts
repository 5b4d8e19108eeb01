import { parseArgs } from 'node:util';
import { DEMO_ACCOUNT, startSimulator } from './server';
import type { SimulatorAccount } from './types';

/**
 * `npm run simulator -- --port 4010 [--client-id x --client-secret y --contract-id GCR_…] [--data-file f] [--test-control]`
 * Runs the secuconnect simulator alone on 127.0.0.1 until SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'contract-id': { type: 'string' },
      'data-file': { type: 'string' },
      'invalid-token-status': { type: 'string' },
      'test-control': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.info('usage: npm run simulator -- [--port 4010] [--client-id ID --client-secret SECRET --contract-id GCR_…] [--data-file FILE] [--invalid-token-status 401|403] [--test-control]');
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be a number between 0 and 65535');
  const custom = values['client-id'] !== undefined || values['client-secret'] !== undefined || values['contract-id'] !== undefined;
  const account: SimulatorAccount = {
    clientId: values['client-id'] ?? DEMO_ACCOUNT.clientId,
    clientSecret: values['client-secret'] ?? DEMO_ACCOUNT.clientSecret,
    contractId: values['contract-id'] ?? DEMO_ACCOUNT.contractId,
  };
  if (!/^GCR_[0-9A-Z]{30}$/.test(account.contractId)) throw new Error('--contract-id must be GCR_ followed by 30 of 0-9 A-Z');
  const invalidTokenStatus = values['invalid-token-status'] === '401' ? 401 : 403;

  const simulator = await startSimulator({
    port,
    accounts: custom ? [account] : [DEMO_ACCOUNT],
    dataFile: values['data-file'],
    invalidTokenStatus,
    testControl: values['test-control'] === true,
  });
  // The built-in demo secret only opens this simulator, so it is printed; a secret given on
  // the command line is not echoed.
  const secretShown = account.clientSecret === DEMO_ACCOUNT.clientSecret ? account.clientSecret : '(as given on the command line)';
  console.info(`secuconnect simulator listening on ${simulator.baseUrl}`);
  console.info(`  API base:      ${simulator.baseUrl}/api/v2`);
  console.info(`  token URL:     ${simulator.baseUrl}/oauth/token`);
  console.info(`  client id:     ${account.clientId}`);
  console.info(`  client secret: ${secretShown}`);
  console.info(`  contract id:   ${account.contractId}`);
  if (values['data-file']) console.info(`  data file:     ${values['data-file']}`);
  if (values['test-control']) console.info(`  test control:  ${simulator.baseUrl}/__control/ (payments, faults, stats)`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.info(`simulator: ${signal} received, stopping`);
    simulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`simulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
