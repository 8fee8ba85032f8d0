// What the composition root hands to a transport (Electron shell or browser host).
import type { Dispatcher, Session } from './dispatcher';
import type { EventBus } from './event-bus';

export interface PosApp {
  readonly dispatcher: Dispatcher;
  readonly events: EventBus;
  /** A fresh, logged-out session for a newly connected window or tab. */
  newSession(): Session;
  /** Forget a session when its window or socket goes away. */
  endSession(session: Session): void;
  /** Kiosk mode (self-checkout): full-screen, no window chrome. */
  readonly kiosk: boolean;
  readonly dataDir: string;
  close(): Promise<void>;
}
