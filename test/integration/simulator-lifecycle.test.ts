import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { call, createLink, tokenFor } from './simulator-helpers';

let sim: RunningSimulator;
let token: string;

beforeAll(async () => {
  sim = await startSimulator();
  token = await tokenFor(sim);
});
afterAll(async () => {
  await sim.stop();
});

const readStx = async (id: string) => (await call(sim, 'GET', `/api/v2/Smart/Transactions/${id}`, { token })).json;
const readPci = async (id: string) => (await call(sim, 'GET', `/api/v2/Payment/Transactions/${id}`, { token })).json;

describe('the payer acts', () => {
  it('paying by card makes the transaction ok with a PCI payment the API shows', async () => {
    const stx = await createLink(sim, token, { basket_info: { sum: 4985, currency: 'EUR' } });
    await sim.control.pay(stx.id, 'creditcard');
    const paid = await readStx(stx.id);
    expect(paid.status).toBe('ok');
    expect(paid.payment_method).toBe('creditcard');
    expect(paid.transactions).toHaveLength(1);
    const link = paid.transactions[0];
    expect(link).toEqual({ object: 'payment.transactions', id: expect.stringMatching(/^PCI_[0-9A-Z]{30}$/), trans_id: paid.trans_id, transaction_hash: expect.stringMatching(/^[0-9a-z]{20}$/) });
    expect(Number.isInteger(paid.trans_id)).toBe(true);
    expect(paid.updated >= paid.created).toBe(true);

    const pci = await readPci(link.id);
    expect(pci).toMatchObject({
      object: 'payment.transactions',
      id: link.id,
      trans_id: paid.trans_id,
      amount: 4985,
      currency: 'EUR',
      details: { status_simple: 1, status_simple_text: 'accepted', amount: 4985 },
      related_transactions: [],
    });
    expect(typeof pci.status).toBe('number');
    expect(typeof pci.status_text).toBe('string');
  });

  it('a paid link cannot be paid again', async () => {
    const stx = await createLink(sim, token);
    await sim.control.pay(stx.id);
    await expect(sim.control.pay(stx.id)).rejects.toThrow(/not open for payment/);
  });

  it('prepayment goes to pending with payment instructions, and settling makes it ok', async () => {
    const stx = await createLink(sim, token);
    const pending = await sim.control.pay(stx.id, 'prepaid');
    expect(pending.status).toBe('pending');
    expect(pending.payment_instructions).toEqual({
      owner: expect.any(String),
      iban: expect.stringMatching(/^DE\d{20}$/),
      bic: expect.any(String),
      bankname: expect.any(String),
      purpose: `TA ${pending.trans_id}`,
      girocode_url: expect.stringContaining(stx.id),
    });
    const pciId = pending.transactions[0]?.id ?? '';
    expect((await readPci(pciId)).details.status_simple).toBe(10);

    const qr = await fetch(pending.payment_instructions?.girocode_url ?? '');
    expect(qr.headers.get('content-type')).toBe('image/svg+xml');
    expect(await qr.text()).toContain('<svg');

    await sim.control.settlePrepayment(stx.id);
    expect((await readStx(stx.id)).status).toBe('ok');
    expect((await readPci(pciId)).details.status_simple).toBe(1);
    await expect(sim.control.settlePrepayment(stx.id)).rejects.toThrow(/not pending/);
  });

  it('a declined payment makes the transaction failed with a denied payment', async () => {
    const stx = await createLink(sim, token);
    const failed = await sim.control.fail(stx.id);
    expect(failed.status).toBe('failed');
    expect((await readPci(failed.transactions[0]?.id ?? '')).details.status_simple).toBe(3);
  });

  it('aborting leaves the link created and payable', async () => {
    const stx = await createLink(sim, token);
    const aborted = await sim.control.abort(stx.id);
    expect(aborted.status).toBe('created');
    expect(aborted.transactions).toEqual([]);
    expect((await sim.control.pay(stx.id)).status).toBe('ok');
  });

  it('refuses a method the link does not offer', async () => {
    const stx = await createLink(sim, token, { payment_context: { payment_methods: ['paypal'] } });
    await expect(sim.control.pay(stx.id, 'creditcard')).rejects.toThrow(/not offered/);
    expect((await sim.control.pay(stx.id)).payment_method).toBe('paypal');
  });

  it('unknown ids are refused by the control API', async () => {
    await expect(sim.control.pay('STX_000000000000000000000000000000')).rejects.toThrow(/not found/);
    expect(sim.control.get('STX_000000000000000000000000000000')).toBeUndefined();
  });
});

describe('cancel', () => {
  it.each(['created', 'pending'])('cancels a %s transaction', async (status) => {
    const stx = await createLink(sim, token);
    if (status === 'pending') await sim.control.pay(stx.id, 'prepaid');
    const answer = await call(sim, 'POST', `/api/v2/Smart/Transactions/${stx.id}/cancel`, { token });
    expect(answer.status).toBe(200);
    expect(answer.json.status).toBe('cancelled');
    expect((await readStx(stx.id)).status).toBe('cancelled');
    await expect(sim.control.pay(stx.id)).rejects.toThrow();
  });

  it.each(['ok', 'failed', 'cancelled'])('refuses to cancel a %s transaction', async (status) => {
    const stx = await createLink(sim, token);
    if (status === 'ok') await sim.control.pay(stx.id);
    if (status === 'failed') await sim.control.fail(stx.id);
    if (status === 'cancelled') await call(sim, 'POST', `/api/v2/Smart/Transactions/${stx.id}/cancel`, { token });
    const answer = await call(sim, 'POST', `/api/v2/Smart/Transactions/${stx.id}/cancel`, { token });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe('ProductFormatException');
    expect((await readStx(stx.id)).status).toBe(status);
  });

  it('answers 404 for an unknown transaction', async () => {
    expect((await call(sim, 'POST', '/api/v2/Smart/Transactions/STX_000000000000000000000000000000/cancel', { token })).status).toBe(404);
  });
});

describe('setDelivery', () => {
  const shipping = { delivery_options: { type: 'shipping', shipped_at: '2024-05-02T10:00:00+02:00', shipped_by: 'DHL', tracking_code: '00340434161094015902', invoice_number: 'R-1001' } };

  it('records the shipment and keeps intent sale at ok', async () => {
    const stx = await createLink(sim, token);
    await sim.control.pay(stx.id);
    const answer = await call(sim, 'POST', `/api/v2/Smart/Transactions/${stx.id}/setDelivery`, { token, body: shipping });
    expect(answer.status).toBe(200);
    expect(answer.json.status).toBe('ok');
    expect(answer.json.delivery_options).toEqual(shipping.delivery_options);
  });

  it('moves intent order to shipped', async () => {
    const stx = await createLink(sim, token, { intent: 'order' });
    expect((await sim.control.pay(stx.id)).status).toBe('received');
    const answer = await call(sim, 'POST', `/api/v2/Smart/Transactions/${stx.id}/setDelivery`, { token, body: shipping });
    expect(answer.json.status).toBe('shipped');
  });

  it('refuses an unpaid transaction and names a bad delivery type', async () => {
    const stx = await createLink(sim, token);
    const unpaid = await call(sim, 'POST', `/api/v2/Smart/Transactions/${stx.id}/setDelivery`, { token, body: shipping });
    expect(unpaid.status).toBe(400);
    await sim.control.pay(stx.id);
    const badType = await call(sim, 'POST', `/api/v2/Smart/Transactions/${stx.id}/setDelivery`, { token, body: { delivery_options: { type: 'drone' } } });
    expect(badType.status).toBe(400);
    expect(badType.json.error_details).toBe('Invalid value for delivery_options.type');
  });
});

describe('Payment Transactions: capture and refund', () => {
  it('an invoice payment waits for shipment until captured with shipping information', async () => {
    const stx = await createLink(sim, token);
    const paid = await sim.control.pay(stx.id, 'invoice');
    expect(paid.status).toBe('ok');
    const pciId = paid.transactions[0]?.id ?? '';
    expect((await readPci(pciId)).details).toMatchObject({ status_simple: 14, status_simple_text: 'waiting for shipment' });

    const shippingInformation = { carrier: 'DHL', tracking_id: '00340434161094015902', invoice_number: 'R-2002', shipped_at: '2024-05-02' };
    const answer = await call(sim, 'POST', `/api/v2/Payment/Transactions/${pciId}/capture`, { token, body: { shipping_information: shippingInformation } });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ id: pciId, status: 86, status_text: 'abgeschlossen (Rechnung offen)', details: { status_simple: 1, status_simple_text: 'accepted' }, invoice_number: 'R-2002' });
    expect((await readPci(pciId)).details.status_simple).toBe(1);
  });

  it('refuses to capture a denied payment', async () => {
    const stx = await createLink(sim, token);
    const failed = await sim.control.fail(stx.id);
    const answer = await call(sim, 'POST', `/api/v2/Payment/Transactions/${failed.transactions[0]?.id}/capture`, { token });
    expect(answer.status).toBe(400);
  });

  it('refunds in parts, answers [original, refund child], and refuses more than what remains', async () => {
    const stx = await createLink(sim, token, { basket_info: { sum: 1000, currency: 'EUR' } });
    const paid = await sim.control.pay(stx.id, 'creditcard');
    const pciId = paid.transactions[0]?.id ?? '';

    const first = await call(sim, 'POST', `/api/v2/Payment/Transactions/${pciId}/cancel`, { token, body: { reduce_amount_by: 300, reason: 'Returned 1 item' } });
    expect(first.status).toBe(200);
    expect(Array.isArray(first.json)).toBe(true);
    const [original, child] = first.json;
    expect(original).toMatchObject({ id: pciId, amount: 1000, details: { status_simple: 1, amount: 700 } });
    expect(child).toMatchObject({ object: 'payment.transactions', id: expect.stringMatching(/^PCI_/), amount: -300, currency: 'EUR' });
    expect(original.related_transactions).toEqual([expect.objectContaining({ id: child.id, hierarchy: 'child', ref_type_id: 19 })]);
    expect(child.related_transactions).toEqual([expect.objectContaining({ id: pciId, hierarchy: 'parent' })]);
    expect((await readPci(child.id)).amount).toBe(-300);
    expect((await call(sim, 'GET', `/api/v2/Payment/Transactions/${pciId}/checkStatus`, { token })).json.amount).toBe(700);

    const tooMuch = await call(sim, 'POST', `/api/v2/Payment/Transactions/${pciId}/cancel`, { token, body: { reduce_amount_by: 701 } });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.statusText).toBe('ProductFormatException');
    expect(tooMuch.json.error_details).toBe('Invalid value for reduce_amount_by');
    expect((await readPci(pciId)).details.amount).toBe(700);

    const rest = await call(sim, 'POST', `/api/v2/Payment/Transactions/${pciId}/cancel`, { token, body: { reduce_amount_by: 700 } });
    expect(rest.json[0]).toMatchObject({ details: { status_simple: 5, status_simple_text: 'void', amount: 0 } });
    expect(rest.json[0].related_transactions).toHaveLength(2);
    expect((await readStx(stx.id)).status).toBe('ok');

    const again = await call(sim, 'POST', `/api/v2/Payment/Transactions/${pciId}/cancel`, { token, body: {} });
    expect(again.status).toBe(400);
  });

  it('a cancel without an amount refunds everything that remains', async () => {
    const stx = await createLink(sim, token, { basket_info: { sum: 2500, currency: 'CHF' } });
    const paid = await sim.control.pay(stx.id, 'paypal');
    const answer = await call(sim, 'POST', `/api/v2/Payment/Transactions/${paid.transactions[0]?.id}/cancel`, { token });
    expect(answer.json[1]).toMatchObject({ amount: -2500, currency: 'CHF' });
    expect(answer.json[0].details.status_simple).toBe(5);
  });

  it('refuses a refund reason outside the documented characters', async () => {
    const stx = await createLink(sim, token);
    const paid = await sim.control.pay(stx.id);
    const answer = await call(sim, 'POST', `/api/v2/Payment/Transactions/${paid.transactions[0]?.id}/cancel`, { token, body: { reduce_amount_by: 1, reason: 'Rückgabe <b>' } });
    expect(answer.status).toBe(400);
    expect(answer.json.error_details).toBe('Invalid value for reason');
  });
});
