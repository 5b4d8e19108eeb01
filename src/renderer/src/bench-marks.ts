/** Performance marks `npm run bench:ui` reads: from the create answer arriving to the QR being painted. */
export const CREATED_MARK = 'link-desk:create-response';
export const QR_PAINTED_MARK = 'link-desk:qr-painted';
