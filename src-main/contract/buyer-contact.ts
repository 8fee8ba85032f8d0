// FFD tag 1008 "телефон или электронный адрес покупателя": where the OFD sends an electronic receipt.
// A phone is +7 and 10 digits (typed with spaces, dashes, brackets or a leading 8, it is normalised);
// an e-mail is a plain address. At most 64 characters (the tag's limit).
import { z } from 'zod';

const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:".]{2,}$/;

/** The normalised contact, or null when the text is neither a Russian mobile/landline number nor an e-mail. */
export function normaliseBuyerContact(text: string): string | null {
  const t = text.trim();
  if (t === '') return null;
  if (t.includes('@')) return t.length <= 64 && EMAIL.test(t) ? t : null;
  if (!/^[+\d\s()-]+$/.test(t)) return null;
  const digits = t.replace(/\D/g, '');
  if (/^\+?7\d{10}$/.test(t.replace(/[\s()-]/g, '')) || /^8\d{10}$/.test(digits)) return `+7${digits.slice(1)}`;
  return null;
}

export const BuyerContact = z.string().max(100).transform((text, ctx) => {
  const contact = normaliseBuyerContact(text);
  if (contact === null) {
    ctx.addIssue({ code: 'custom', message: 'buyer contact: a phone +7XXXXXXXXXX or an e-mail address' });
    return z.NEVER;
  }
  return contact;
});
