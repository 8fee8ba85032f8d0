// Who may do what. The dispatcher checks these before every call; the UI only uses them to hide buttons.
import { PERMISSIONS } from '../contract';
import type { Permission, Role } from '../contract';

const CASHIER: readonly Permission[] = ['sale.sell', 'shift.manage', 'cash.move', 'journal.view'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  // Voiding a line, cancelling a receipt and taking goods back for money are the classic till frauds,
  // so a cashier needs a supervisor's override for each (a return, and paying its card part in cash).
  cashier: Object.freeze([...CASHIER]),
  // A supervisor runs the floor but does not change the catalog or configuration.
  supervisor: Object.freeze(PERMISSIONS.filter((p) => p !== 'catalog.manage')),
  administrator: Object.freeze([...PERMISSIONS]),
};

export function roleCan(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role]?.includes(permission) ?? false;
}
