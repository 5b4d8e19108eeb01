export { createSecuconnectClient, DEFAULT_RETRY, DEFAULT_TIMEOUT_MS } from './client';
export type {
  ListSmartTransactionsQuery,
  RefundRequest,
  RequestInfo,
  RetryPolicy,
  SecuconnectClient,
  SecuconnectClientOptions,
} from './client';
export {
  ANSWER_MAY_BE_LOST,
  basketLinesFromTransaction,
  buildCreateSmartTransactionBody,
  createPaymentLinkSafely,
  newMerchantRef,
  pickPaymentUrl,
  PAYMENT_LINK_CHECKOUT_TEMPLATE,
} from './payment-link';
export type { CreateLinkContext } from './payment-link';
export { TokenCache, accountKeyFor, sharedTokenCache, TOKEN_EXPIRY_MARGIN_SECONDS } from './token-cache';
export { fieldsFromErrorDetails, formFieldForWirePath } from './failures';
export * from './wire';
