import { AppFailure } from '../../shared/errors';
import { isExpired, type LinkRecord, type RefundInput, type ShipInput } from '../../shared/link';
import { isPaidStatus } from '../../shared/status';
import { needsShipping } from '../../shared/history-query';
import type { HistoryStore } from '../history';
import type { EventHub } from '../event-hub';
import type { LinkService } from './link-service';

/** Cancel, mark as shipped, refund: what the merchant does after a link was handed out. */
export interface FollowUpActions {
  cancel(merchantRef: string): Promise<LinkRecord>;
  ship(input: ShipInput): Promise<LinkRecord>;
  refund(input: RefundInput): Promise<LinkRecord>;
  cancelExpired(expiryDays: number): Promise<{ cancelled: number; failed: number }>;
}

const CANCELLABLE = new Set(['created', 'approved', 'pending']);

function notAllowed(message: string): AppFailure {
  return new AppFailure({ code: 'link.not_allowed', message });
}

export function createFollowUpActions(deps: { links: LinkService; history: HistoryStore; events: EventHub; now?: () => Date }): FollowUpActions {
  const now = deps.now ?? (() => new Date());

  const save = async (next: LinkRecord): Promise<LinkRecord> => {
    await deps.history.put(next);
    deps.events.emit({ type: 'link.updated', record: next });
    return next;
  };

  const cancel = async (merchantRef: string): Promise<LinkRecord> => {
    const record = deps.links.get(merchantRef);
    if (record.state !== 'created' || record.id === null || !CANCELLABLE.has(record.status ?? '')) {
      throw notAllowed('Only links that are not paid yet can be cancelled.');
    }
    const account = await deps.links.accountFor(record);
    const transaction = await account.client.cancelSmartTransaction(record.id);
    return deps.links.applyTransaction(record, transaction);
  };

  return {
    cancel,

    async ship({ merchantRef, carrier, trackingId, invoiceNumber }) {
      const record = deps.links.get(merchantRef);
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
      const shipped: NonNullable<LinkRecord['shipped']> = { at: shippedAt };
      if (carrier) shipped.carrier = carrier;
      if (trackingId) shipped.trackingId = trackingId;
      if (invoiceNumber) shipped.invoiceNumber = invoiceNumber;
      return save({ ...record, shipped, updatedAt: shippedAt });
    },

    async refund({ merchantRef, amountCents, reason }) {
      const record = deps.links.get(merchantRef);
      if (!isPaidStatus(record.status) || record.transactionId === null) throw notAllowed('Only paid links can be refunded.');
      const left = record.amountCents - record.refundedCents;
      if (amountCents > left) {
        throw new AppFailure({
          code: 'api.validation',
          message: `At most ${left} cents are left to refund.`,
          fields: { amountCents: 'refund.too_much' },
        });
      }
      const account = await deps.links.accountFor(record);
      const request: { reduceAmountByCents: number; reason?: string } = { reduceAmountByCents: amountCents };
      if (reason) request.reason = reason;
      await account.client.refundPaymentTransaction(record.transactionId, request);
      return save({ ...record, refundedCents: record.refundedCents + amountCents, updatedAt: now().toISOString() });
    },

    async cancelExpired(expiryDays) {
      let cancelled = 0;
      let failed = 0;
      const at = now();
      for (const record of deps.history.nonFinal()) {
        if (!isExpired(record, expiryDays, at)) continue;
        try {
          await cancel(record.merchantRef);
          cancelled++;
        } catch {
          failed++;
        }
      }
      return { cancelled, failed };
    },
  };
}
