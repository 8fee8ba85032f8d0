// Who may do what. The dispatcher checks these before every call; the UI only uses them to hide buttons.
import { PERMISSIONS } from '../contract';
import type { Permission, Role } from '../contract';

const CASHIER: readonly Permission[] = ['sale.sell', 'shift.manage', 'cash.move', 'journal.view'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  // Voiding a line or cancelling a receipt is the classic till fraud, so a cashier needs a
  // supervisor's override for both.
  cashier: Object.freeze([...CASHIER]),
  // A supervisor runs the floor but does not change the catalog or configuration.
  supervisor: Object.freeze(PERMISSIONS.filter((p) => p !== 'catalog.manage')),
  administrator: Object.freeze([...PERMISSIONS]),
};

export function roleCan(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role]?.includes(permission) ?? false;
}
