import { join } from 'node:path';
import nodeLog from 'electron-log/node';
import type { Redactor } from './redaction';

/**
 * The app's log file: `logs/main.log` in the data folder, rotated by electron-log at 1 MB into
 * `main.old.log`. Main and renderer errors go here. Every line passes the redactor (secrets and
 * tokens main has seen) and loses e-mail addresses, so the file can be sent to support.
 */
export interface AppLog {
  error(line: string): void;
  warn(line: string): void;
  info(line: string): void;
  /** The last errors and warnings (already redacted), newest last, for "Copy diagnostics". */
  recent(): string[];
  readonly filePath: string;
}

export const LOG_MAX_BYTES = 1024 * 1024;
const RECENT_LINES = 20;
// Bounded parts (RFC 5321 limits): an unbounded local part made a long line without "@" quadratic.
const EMAIL = /[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+/g;

let instances = 0;

export function createAppLog(options: { dataDir: string; redactor: Redactor; console?: boolean }): AppLog {
  const filePath = join(options.dataDir, 'logs', 'main.log');
  // One logger per data folder: tests and the web bridge may run several apps in one process.
  const log = nodeLog.create({ logId: `link-desk-${++instances}` });
  const file = log.transports['file'] as typeof nodeLog.transports.file;
  file.resolvePathFn = () => filePath;
  file.maxSize = LOG_MAX_BYTES;
  file.level = 'info';
  const consoleTransport = log.transports['console'] as typeof nodeLog.transports.console;
  consoleTransport.level = options.console === false ? false : 'warn';

  const clean = (text: string) => {
    const redacted = options.redactor.redact(text);
    return redacted.includes('@') ? redacted.replace(EMAIL, '[e-mail]') : redacted;
  };
  log.hooks.push((message) => ({ ...message, data: message.data.map((part: unknown) => clean(describe(part))) }));

  const recentLines: string[] = [];
  const remember = (level: string, line: string) => {
    recentLines.push(`${new Date().toISOString()} ${level} ${clean(line)}`);
    if (recentLines.length > RECENT_LINES) recentLines.shift();
  };

  return {
    filePath,
    error(line) {
      remember('error', line);
      log.error(line);
    },
    warn(line) {
      remember('warn', line);
      log.warn(line);
    },
    info(line) {
      log.info(line);
    },
    recent: () => [...recentLines],
  };
}

/** Errors become their name, message and stack; anything else its string form. */
export function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}${value.stack ? `\n${value.stack}` : ''}`;
  return typeof value === 'string' ? value : String(value);
}

/** "Copy diagnostics": what support needs to place a problem; no secret, no customer data, no ids. */
export function diagnosticsText(facts: {
  version: string;
  shell: string;
  platform: string;
  environment: string;
  keychainAvailable: boolean;
  pinSet: boolean;
  logFile: string;
  recentErrors: string[];
}): string {
  const lines = [
    `Link Desk ${facts.version} (${facts.shell}, ${facts.platform}, Node ${process.versions.node})`,
    `Environment: ${facts.environment}`,
    `Keychain reachable: ${facts.keychainAvailable ? 'yes' : 'no'}`,
    `Owner PIN set: ${facts.pinSet ? 'yes' : 'no'}`,
    `Log file: ${facts.logFile}`,
    `Recent errors (${facts.recentErrors.length}):`,
    ...(facts.recentErrors.length > 0 ? facts.recentErrors.map((line) => `  ${line.split('\n')[0]}`) : ['  none']),
  ];
  return lines.join('\n');
}
