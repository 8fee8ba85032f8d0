// One entry point for the device manager and `prilavok scale read`: a scale from its settings.
import { CasEcrScale, CasIndicatorScale } from './cas/driver';
import { MassakScale } from './massak/driver';
import { Mettler8217Scale } from './mettler8217/driver';
import type { ScalePortOptions } from './port';
import type { Scale, ScaleProtocol } from './scale';
import { ShtrihScale } from './shtrih/driver';

export const SCALE_PROTOCOLS: readonly ScaleProtocol[] = ['massak', 'cas', 'cas-indicator', 'shtrih', 'mettler8217'];

export interface ScaleSettings extends ScalePortOptions {
  protocol: ScaleProtocol;
  /** A serial path or tcp://HOST:PORT. */
  port: string;
  answerTimeoutMs?: number;
  /** Shtrih only. */
  password?: string;
  /** CAS indicator only. */
  mode?: 'stream' | 'command';
}

export function openScale(s: ScaleSettings): Promise<Scale> {
  const { protocol, port, ...o } = s;
  switch (protocol) {
    case 'massak': return MassakScale.open(port, o);
    case 'cas': return CasEcrScale.open(port, o);
    case 'cas-indicator': return CasIndicatorScale.open(port, o);
    case 'shtrih': return ShtrihScale.open(port, o);
    case 'mettler8217': return Mettler8217Scale.open(port, o);
  }
}
