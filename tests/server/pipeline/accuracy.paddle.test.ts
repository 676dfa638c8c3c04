import { accuracySuite } from '../../helpers/accuracy-suite';

// The product's requirements for the default engine.
accuracySuite(
  'paddle',
  {
    vouchers: {
      fields: { amount: 0.9, date: 0.9, invoiceNumber: 0.95, payee: 0.6 },
      recall: { idcard: 0.9, phone: 0.9 },
    },
    'real-invoices': { fields: { amount: 0.75, invoiceNumber: 0.9 } },
  },
  10 * 60_000,
);
