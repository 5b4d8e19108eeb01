import { AppFailure } from '../../shared/errors';
import type { LinkRecord, RefundInput, ShipInput, ShipmentEntry } from '../../shared/link';
import { isPaidStatus, isUnpaidStatus } from '../../shared/status';
import { needsShipping } from '../../shared/history-query';
import type { LinkRepository } from '../history';
import { linkFieldsFromTransaction, type LinkService } from './link-service';

/**
 * Cancel, mark as shipped, refund: what the merchant does after a link was handed out. Each
 * action runs inside the history's write path for its link: the rule is checked against the link
 * as it is when the action runs (after any action before it), the API is called, and the result
 * is written to that same state, so two refunds fired at once can never both pass the check.
 */
export interface FollowUpActions {
  cancel(merchantRef: string): Promise<LinkRecord>;
  ship(input: ShipInput): Promise<LinkRecord>;
  refund(input: RefundInput): Promise<LinkRecord>;
  cancelExpired(expiryDays: number): Promise<{ cancelled: number; failed: number }>;
}

function notAllowed(message: string): AppFailure {
  return new AppFailure({ code: 'link.not_allowed', message });
}

export function createFollowUpActions(deps: { links: LinkService; history: LinkRepository; now?: () => Date; logError?: (line: string) => void }): FollowUpActions {
  const now = deps.now ?? (() => new Date());

  const cancel = (merchantRef: string): Promise<LinkRecord> =>
    deps.links.change(merchantRef, async (record) => {
      if (record.state !== 'created' || record.id === null || !isUnpaidStatus(record.status)) {
        throw notAllowed('Only links that are not paid yet can be cancelled.');
      }
      const account = await deps.links.accountFor(record);
      const transaction = await account.client.cancelSmartTransaction(record.id);
      return { set: linkFieldsFromTransaction(record, transaction, now()) };
    });

  return {
    cancel,

    ship: ({ merchantRef, carrier, trackingId, invoiceNumber }) =>
      deps.links.change(merchantRef, async (record) => {
        if (!needsShipping(record) || record.transactionId === null) {
          throw notAllowed('Only paid invoice payments that are not marked as shipped yet can be marked as shipped.');
        }
        const account = await deps.links.accountFor(record);
        const shippedAt = now().toISOString();
        // The newer of the two documented ways (API-NOTES §3.2): capture the payment with shipping
        // information, which makes the invoice due. Smart-Transaction setDelivery leaves `sale` at `ok` anyway.
        await account.client.capturePaymentTransaction(record.transactionId, {
          shipped_at: shippedAt,
          ...(carrier ? { carrier } : {}),
          ...(trackingId ? { tracking_id: trackingId } : {}),
          ...(invoiceNumber ? { invoice_number: invoiceNumber } : {}),
          order_id: record.merchantRef,
        });
        const shipment: ShipmentEntry = { at: shippedAt };
        if (carrier) shipment.carrier = carrier;
        if (trackingId) shipment.trackingId = trackingId;
        if (invoiceNumber) shipment.invoiceNumber = invoiceNumber;
        return { shipment, set: { updatedAt: shippedAt } };
      }),

    refund: ({ merchantRef, amountCents, reason }) =>
      deps.links.change(merchantRef, async (record) => {
        if (!isPaidStatus(record.status) || record.transactionId === null) throw notAllowed('Only paid links can be refunded.');
        const left = record.amountCents - record.refundedCents;
        if (amountCents > left) {
          throw new AppFailure({
            code: 'link.not_allowed',
            message: `At most ${left} cents are left to refund.`,
            fields: { amountCents: 'refund.too_much' },
          });
        }
        const account = await deps.links.accountFor(record);
        const request: { reduceAmountByCents: number; reason?: string } = { reduceAmountByCents: amountCents };
        if (reason) request.reason = reason;
        const answer = await account.client.refundPaymentTransaction(record.transactionId, request);
        const at = now().toISOString();
        const refundTransactionIds = answer.map((transaction) => transaction.id).filter((id) => id !== record.transactionId);
        return { refund: { at, amountCents, ...(reason ? { reason } : {}), refundTransactionIds }, set: { updatedAt: at } };
      }),

    async cancelExpired(expiryDays) {
      let cancelled = 0;
      let failed = 0;
      for (const record of deps.history.expired(expiryDays, now())) {
        try {
          await cancel(record.merchantRef);
          cancelled++;
        } catch (error) {
          failed++; // counted for the merchant, logged for support
          deps.logError?.(`[follow-up] cancelling an expired link failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      return { cancelled, failed };
    },
  };
}
