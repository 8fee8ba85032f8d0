import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BuyerContact, normaliseBuyerContact } from '../../../src-main/contract/buyer-contact';

describe('the buyer contact for an electronic receipt (FFD 1008)', () => {
  it('normalises a Russian phone number to +7 and ten digits', () => {
    for (const typed of ['+79123456789', '+7 912 345-67-89', '8 (912) 345-67-89', '89123456789', ' +7(912)3456789 ']) {
      expect(normaliseBuyerContact(typed), typed).toBe('+79123456789');
    }
  });

  it('keeps an e-mail address as typed, trimmed', () => {
    expect(normaliseBuyerContact(' ivan.petrov+check@mail.example.ru ')).toBe('ivan.petrov+check@mail.example.ru');
  });

  it('refuses what is neither', () => {
    for (const bad of ['', '   ', '12345', '+1 212 555 0100', '79123456789x', '+7912345678', '+791234567890', 'ivan@', '@mail.ru', 'ivan@mail',
      'a b@mail.ru', `${'x'.repeat(60)}@mail.ru`, '<script>@x.ru', '9123456789']) {
      expect(normaliseBuyerContact(bad), bad).toBeNull();
    }
  });

  it('the contract schema normalises or refuses, never throws, whatever the input', () => {
    expect(BuyerContact.parse('8-912-345-67-89')).toBe('+79123456789');
    expect(BuyerContact.safeParse('not a contact').success).toBe(false);
    fc.assert(fc.property(fc.string({ maxLength: 120 }), (s) => {
      const r = BuyerContact.safeParse(s);
      if (r.success) expect(r.data.length).toBeLessThanOrEqual(64);
    }));
  });
});
