// The lane's cash drawer: where it is wired and who kicks it. A drawer hangs on the receipt printer's
// DK port (ESC p, the default) or on the fiscal register's drawer port (Shtrih 28h). The register's
// connection belongs to the fiscal service, so a drawer wired there opens through the service, which
// runs the kick between its fiscal jobs; nothing here opens a port. Every kick is audited with who did
// it, who authorised it and why; a kick a document asks for never throws back into the sale.
import { z } from 'zod';
import { PosError } from '../../contract';
import type { DrawerStatus } from '../../contract/drawer-model';
import type { LocalizedText } from '../../contract/errors';
import type { DrawerNumber } from '../../../drivers/fiscal/fiscal-register';
import { FiscalError } from '../../../drivers/fiscal/fiscal-error';
import type { ReceiptPrinter } from '../../../drivers/printer/receipt-printer';
import { textOf } from './device-link';

/** Lane setting `drawer`, read at every kick (a changed setting applies without a restart). */
export const DRAWER_SETTINGS_KEY = 'drawer';
export const DrawerSettings = z.object({
  via: z.enum(['printer', 'fiscal-register']).default('printer'),
  /** The register's drawer connector (28h takes 0 or 1); the printer route ignores it. */
  drawerNumber: z.union([z.literal(0), z.literal(1)]).default(0),
}).strict();
export type DrawerSettings = z.infer<typeof DrawerSettings>;
export const DEFAULT_DRAWER: DrawerSettings = { via: 'printer', drawerNumber: 0 };

/** The audit subject of a drawer wired to the register (a printer's kick names the printer's device id). */
export const REGISTER_DRAWER_SUBJECT = 'fiscal-register';

export type DrawerReason = 'no-sale' | 'payment' | 'cashMove';

/** The fiscal service as the drawer needs it: the owner of the register's connection. */
export interface RegisterDrawer {
  openDrawer(drawer: DrawerNumber): Promise<void>;
  /** Whether the register answers, and its drawer switch as it last reported it (null: it reports none). */
  status(): { connected: boolean; drawerOpen: boolean | null };
}

/** The receipt printer that is up now, with what its audit records name. */
export interface DrawerPrinter {
  deviceId: string;
  name: string;
  port: string;
  printer: Pick<ReceiptPrinter, 'openDrawer' | 'drawerState'>;
}

export interface CashDrawerDeps {
  settings(): DrawerSettings;
  printer(): DrawerPrinter | null;
  /** Null where the lane drives no fiscal register. */
  register(): RegisterDrawer | null;
  audit(action: 'drawer.opened' | 'drawer.failed', subjectId: string, actorId: string | null, authorisedBy: string | null,
    details: Record<string, unknown>): void;
}

const NO_PRINTER: LocalizedText = { ru: 'Принтер с денежным ящиком не подключён', en: 'No printer with a cash drawer is connected' };
const NO_REGISTER: LocalizedText = {
  ru: 'Денежный ящик подключён к фискальному регистратору, а регистратор не настроен',
  en: 'The cash drawer is wired to the fiscal register, but no register is configured',
};
const NO_ANSWER: LocalizedText = {
  ru: 'Касса не ответила на команду открыть ящик: проверьте, открылся ли он',
  en: 'The register did not answer the drawer kick: check whether the drawer opened',
};

export class CashDrawer {
  constructor(private readonly deps: CashDrawerDeps) {}

  /**
   * Where the drawer is wired, whether a kick can go out now (the "No sale" button) and the drawer
   * switch where the hardware reports it: the printer's DLE EOT 1 (asked now), the register's status
   * flags (as the fiscal service last read them).
   */
  async status(): Promise<DrawerStatus> {
    const route = this.deps.settings();
    if (route.via === 'fiscal-register') {
      const register = this.deps.register()?.status() ?? null;
      return { via: route.via, ready: register?.connected ?? false, open: register?.drawerOpen ?? null };
    }
    const printer = this.deps.printer();
    if (!printer) return { via: route.via, ready: false, open: null };
    const state = await printer.printer.drawerState().catch(() => null);
    return { via: route.via, ready: true, open: state === null ? null : state === 'open' };
  }

  /** "No sale" and other kicks a person asked for: a failure is the caller's PosError. */
  async open(actorId: string, authorisedBy: string | null, reason: DrawerReason): Promise<void> {
    const route = this.deps.settings();
    if (route.via === 'fiscal-register') {
      const register = this.deps.register();
      if (!register) throw new PosError('INVALID_STATE', NO_REGISTER, { via: route.via });
      try {
        await register.openDrawer(route.drawerNumber);
      } catch (error) {
        throw new PosError('INVALID_STATE', failureText(error), { via: route.via, code: codeOf(error) });
      }
      this.auditRegister('drawer.opened', route, actorId, authorisedBy, { reason });
      return;
    }
    const printer = this.deps.printer();
    if (!printer) throw new PosError('INVALID_STATE', NO_PRINTER);
    try {
      await printer.printer.openDrawer();
    } catch (error) {
      throw new PosError('INVALID_STATE', textOf(error), { device: printer.deviceId });
    }
    this.auditPrinter('drawer.opened', printer, actorId, authorisedBy, { reason });
  }

  /**
   * The kick a document asks for (a cash payment, a cash move): the money is already recorded, so a
   * drawer that does not open is audited as a failed kick and reported as false, never thrown.
   */
  async kickForDocument(reason: Exclude<DrawerReason, 'no-sale'>, actorId: string | null): Promise<boolean> {
    const route = this.deps.settings();
    if (route.via === 'fiscal-register') {
      const register = this.deps.register();
      try {
        if (!register) throw new PosError('INVALID_STATE', NO_REGISTER);
        await register.openDrawer(route.drawerNumber);
      } catch (error) {
        this.auditRegister('drawer.failed', route, actorId, null, { reason, error: failureText(error).en, code: codeOf(error) });
        return false;
      }
      this.auditRegister('drawer.opened', route, actorId, null, { reason });
      return true;
    }
    const printer = this.deps.printer();
    if (!printer) return false;
    try {
      await printer.printer.openDrawer();
    } catch (error) {
      this.auditPrinter('drawer.failed', printer, actorId, null, { reason, error: textOf(error).en });
      return false;
    }
    this.auditPrinter('drawer.opened', printer, actorId, null, { reason });
    return true;
  }

  private auditPrinter(action: 'drawer.opened' | 'drawer.failed', p: DrawerPrinter, actorId: string | null, authorisedBy: string | null,
    details: Record<string, unknown>): void {
    this.deps.audit(action, p.deviceId, actorId, authorisedBy, { name: p.name, kind: 'printer', port: p.port, ...details });
  }

  private auditRegister(action: 'drawer.opened' | 'drawer.failed', route: DrawerSettings, actorId: string | null, authorisedBy: string | null,
    details: Record<string, unknown>): void {
    this.deps.audit(action, REGISTER_DRAWER_SUBJECT, actorId, authorisedBy, { via: 'fiscal-register', drawer: route.drawerNumber, ...details });
  }
}

/** The cashier's words for a kick that failed; a lost answer is not "checking the receipt" here. */
function failureText(error: unknown): LocalizedText {
  if (error instanceof FiscalError && error.kind === 'outcome-unknown') return NO_ANSWER;
  return textOf(error);
}

function codeOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}
