import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSimulator, DEMO_ACCOUNT, type RunningSimulator } from '../simulator';

/**
 * Demo mode runs the secuconnect simulator inside main on loopback, with its transactions in
 * the data directory so demo links survive a restart. It starts on first use and tries the port
 * it had last time, so links and QR codes handed out before a restart keep working.
 *
 * As shipped it has no test-control routes and sends no CORS header: only the app itself
 * drives it. Tests opt in with `testControl`, or hand in one simulator several cores share.
 */
export interface DemoSimulatorHost {
  get(): Promise<RunningSimulator>;
  /** The running simulator's origin, if started: the safe shell may open its payment pages. */
  origin(): string | null;
  stop(): Promise<void>;
}

export interface DemoSimulatorHostOptions {
  /** Tests only: serve `/__control/*` (and CORS) on the embedded simulator. */
  testControl?: boolean;
  /**
   * Tests only: use this already running simulator (started by the test, shared by several app
   * cores) instead of starting one; `stop()` leaves it running.
   */
  shared?: RunningSimulator;
}

export const DEMO_CREDENTIALS = DEMO_ACCOUNT;

export function createDemoSimulatorHost(dataDir: string, options: DemoSimulatorHostOptions = {}): DemoSimulatorHost {
  const shared = options.shared;
  if (shared) {
    return {
      get: async () => shared,
      origin: () => new URL(shared.baseUrl).origin,
      stop: async () => undefined,
    };
  }

  let starting: Promise<RunningSimulator> | null = null;
  let running: RunningSimulator | null = null;
  const portFile = join(dataDir, 'demo-simulator-port');
  const testControl = options.testControl === true;

  async function start(): Promise<RunningSimulator> {
    const dataFile = join(dataDir, 'demo-transactions.json');
    const lastPort = Number((await readFile(portFile, 'utf8').catch(() => '')).trim());
    let simulator: RunningSimulator;
    try {
      simulator = await startSimulator({ port: Number.isInteger(lastPort) && lastPort > 1024 ? lastPort : 0, dataFile, testControl });
    } catch {
      // The old port is taken by another program: any free port will do.
      simulator = await startSimulator({ port: 0, dataFile, testControl });
    }
    await writeFile(portFile, new URL(simulator.baseUrl).port).catch(() => undefined);
    running = simulator;
    return simulator;
  }

  return {
    get() {
      starting ??= start().catch((error: unknown) => {
        starting = null;
        throw error;
      });
      return starting;
    },
    origin: () => (running ? new URL(running.baseUrl).origin : null),
    async stop() {
      const current = running;
      running = null;
      starting = null;
      if (current) await current.stop();
    },
  };
}
