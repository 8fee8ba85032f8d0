// What a call needs. The dispatcher in the main process checks it; the UI only hides buttons.
export const PERMISSIONS = [
  'sale.sell',            // open receipts, scan, park, resume, pay
  'sale.voidLine',        // void a line or lower a quantity (cashier needs a supervisor override)
  'sale.cancelReceipt',   // cancel a receipt that has lines
  'shift.manage',         // open / close the shift
  'cash.move',            // cash in / cash out
  'journal.view',         // sales journal and shift summary
  'catalog.manage',       // import catalog, edit configuration
  'fiscal.reports',       // X and Z reports, releasing a fiscal job parked for a person
  'marking.journal',      // the marking-code violation journal: view, filter, export
  'sale.return',          // start a return against a sale (cashier needs a supervisor override)
  'sale.refundCardInCash', // pay a return's card part in cash when the terminal cannot refund it
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** 'public' calls work before login (hello, login); 'session' needs a logged-in, unlocked user. */
export type Access = 'public' | 'session' | Permission;
