// Where the lane's cash drawer is wired and whether it can be opened now (the shift screen's "No sale"
// button). `drawer.open` itself is in device-model.ts. calls.ts spreads `drawerCalls`.
import { z } from 'zod';
import type { Access } from './permissions';

export const DrawerStatus = z.object({
  /** The receipt printer's DK port (ESC p) or the fiscal register's drawer port (through the fiscal service). */
  via: z.enum(['printer', 'fiscal-register']),
  /** A printer is up, or the fiscal register is connected. */
  ready: z.boolean(),
  /** The drawer switch where the hardware reports one (the register's status); null where it does not. */
  open: z.boolean().nullable(),
});
export type DrawerStatus = z.infer<typeof DrawerStatus>;

function call<Req extends z.ZodType, Res extends z.ZodType>(access: Access, request: Req, response: Res) {
  return { access, request, response };
}

export const drawerCalls = {
  'drawer.status': call('session', z.object({}).strict(), DrawerStatus),
};
