/**
 * Which URLs Link Desk may hand to the operating system (browser / mail app). Payment pages
 * on secupay's hosts, the built-in simulator's page in Demo, mailto:, WhatsApp's click-to-chat
 * (https://wa.me/<digits>) and sms:<number> — nothing else, so a
 * compromised renderer cannot make the app open arbitrary programs or sites.
 */

/** API-NOTES §1: payment-link and checkout hosts (testing confirmed; live assumed, see the notes' open question 1). */
export const PAYMENT_LINK_HOSTS = [
  'pay-dev.secuconnect.com',
  'pay.secuconnect.com',
  'checkout-dev.secuconnect.com',
  'checkout.secuconnect.com',
  'checkout.secupay.com',
  'connect-testing.secuconnect.com',
  'connect.secucard.com',
] as const;

/** WhatsApp's click-to-chat host, exactly (no subdomains, which anyone could register under look-alikes). */
const WHATSAPP_HOST = 'wa.me';

export interface ExternalUrlPolicy {
  /** Extra exact origins, e.g. the Demo simulator's http://127.0.0.1:<port>. */
  extraOrigins: readonly string[];
  paymentHosts?: readonly string[];
}

export function isAllowedExternalUrl(candidate: string, policy: ExternalUrlPolicy): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (url.protocol === 'mailto:') return true;
  // Only a number (or none) before the message: no other path an sms: handler might read as a command.
  if (url.protocol === 'sms:') return /^(\+[0-9]{7,15})?$/.test(url.pathname);
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:' && url.hostname === WHATSAPP_HOST) return url.port === '' && /^\/[0-9]*$/.test(url.pathname);
  if (policy.extraOrigins.includes(url.origin)) return true;
  const hosts = policy.paymentHosts ?? PAYMENT_LINK_HOSTS;
  return url.protocol === 'https:' && url.port === '' && hosts.includes(url.hostname);
}
