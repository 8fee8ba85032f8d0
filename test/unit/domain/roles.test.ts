import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, type Permission, type Role } from '../../../src-main/contract';
import { ROLE_PERMISSIONS, roleCan } from '../../../src-main/domain/roles';

// The whole table, written out, so that a change to a role is a visible change to this test.
const TABLE: Record<Permission, Record<Role, boolean>> = {
  'sale.sell': { cashier: true, supervisor: true, administrator: true },
  'sale.voidLine': { cashier: false, supervisor: true, administrator: true },
  'sale.cancelReceipt': { cashier: false, supervisor: true, administrator: true },
  'shift.manage': { cashier: true, supervisor: true, administrator: true },
  'cash.move': { cashier: true, supervisor: true, administrator: true },
  'journal.view': { cashier: true, supervisor: true, administrator: true },
  'catalog.manage': { cashier: false, supervisor: false, administrator: true },
  'fiscal.reports': { cashier: false, supervisor: true, administrator: true },
  'marking.journal': { cashier: false, supervisor: true, administrator: true },
  'sale.return': { cashier: false, supervisor: true, administrator: true },
  'sale.refundCardInCash': { cashier: false, supervisor: true, administrator: true },
};

describe('roles', () => {
  it('the table covers every permission of the contract', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...PERMISSIONS].sort());
  });

  for (const permission of PERMISSIONS) {
    for (const role of ROLES) {
      const allowed = TABLE[permission][role];
      it(`a ${role} ${allowed ? 'may' : 'may not'} ${permission}`, () => {
        expect(roleCan(role, permission)).toBe(allowed);
        expect(ROLE_PERMISSIONS[role].includes(permission)).toBe(allowed);
      });
    }
  }

  it('a cashier cannot void a line or cancel a receipt without an override', () => {
    expect(roleCan('cashier', 'sale.voidLine')).toBe(false);
    expect(roleCan('cashier', 'sale.cancelReceipt')).toBe(false);
  });

  it('the role table cannot be changed at run time', () => {
    expect(Object.isFrozen(ROLE_PERMISSIONS.cashier)).toBe(true);
    expect(() => (ROLE_PERMISSIONS.cashier as Permission[]).push('catalog.manage')).toThrow();
    expect(roleCan('cashier', 'catalog.manage')).toBe(false);
  });

  it('an unknown role may do nothing', () => {
    expect(roleCan('intruder' as Role, 'sale.sell')).toBe(false);
  });
});
