/**
 * Last line of defence for logs and error texts: every secret main learns (client secrets,
 * access tokens) is registered here, and any text leaving main through a log or an error
 * value is passed through `redact`.
 */
export interface Redactor {
  register(secret: string): void;
  redact(text: string): string;
}

export function createRedactor(): Redactor {
  const secrets = new Set<string>();
  return {
    register(secret) {
      // Very short strings would blank out ordinary words; real secrets and tokens are long.
      if (secret.length >= 6) secrets.add(secret);
    },
    redact(text) {
      let result = text;
      for (const secret of secrets) result = result.split(secret).join('[redacted]');
      return result;
    },
  };
}
