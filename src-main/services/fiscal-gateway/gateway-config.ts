// The gateway's configuration file (JSON), validated on load (docs/fiscal-gateway.md lists every key).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { BALANCING_STRATEGIES } from '../../../drivers/fiscal/pool/balancing';
import { FiscalServiceSettings } from '../fiscal/fiscal-settings';
import { TaxIdOverrides } from './complex-request';
import { MIN_RETENTION_DAYS } from './fiscal-gateway';

export const GatewayRegisterConfig = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, _ and - (it names the register\'s journal file)'),
  /** "emulator" (an in-process demo Shtrih-M emulator), "tcp://HOST:PORT", or a serial port path. */
  address: z.string().min(1),
  baudRate: z.number().int().positive().default(115_200),
});

export const GatewayConfig = z.object({
  registers: z.array(GatewayRegisterConfig).min(1).refine((rs) => new Set(rs.map((r) => r.id)).size === rs.length, 'register ids must be unique'),
  strategy: z.enum(BALANCING_STRATEGIES as unknown as ['shortest-queue', 'lowest-latency', 'round-robin']).default('shortest-queue'),
  /** Every request's `Password` must equal this. */
  password: z.string().min(1),
  /** gateway.sqlite, the registers' journals and the demo emulators' state; relative to the config file. */
  dataDir: z.string().min(1),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).optional(),
  /** host or host:port entries the completion callbacks may go to; empty: callbacks are refused. */
  allowedCallbackHosts: z.array(z.string().min(1).max(260)).default([]),
  answerTimeoutMs: z.number().int().min(0).max(300_000).default(20_000),
  retentionDays: z.number().int().min(MIN_RETENTION_DAYS).default(MIN_RETENTION_DAYS),
  /** 1055 when a request gives no TaxMode. */
  taxMode: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(16), z.literal(32)]).default(1),
  /** Starrys TaxId → VAT rate, over the built-in table. Which TaxId means 22 % is UNCONFIRMED: set it here. */
  taxIds: TaxIdOverrides.default({}),
  cashier: z.object({ name: z.string().min(1).max(64), inn: z.string().regex(/^[0-9]{12}$/).optional() }).nullable().default(null),
  fiscal: FiscalServiceSettings.partial().default({}),
  callback: z.object({
    attempts: z.number().int().min(1).max(20).optional(),
    backoffBaseMs: z.number().int().min(10).max(600_000).optional(),
    timeoutMs: z.number().int().min(100).max(120_000).optional(),
  }).default({}),
});
export type GatewayConfig = z.infer<typeof GatewayConfig>;

export class GatewayConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayConfigError';
  }
}

/** Reads and validates the file; dataDir is made absolute against the file's folder. */
export function loadGatewayConfig(file: string): GatewayConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new GatewayConfigError(`${file}: cannot read the gateway configuration: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseGatewayConfig(raw, dirname(resolve(file)), file);
}

export function parseGatewayConfig(raw: unknown, baseDir: string, name = 'configuration'): GatewayConfig {
  const parsed = GatewayConfig.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    throw new GatewayConfigError(`${name}: invalid gateway configuration:\n  ${problems.join('\n  ')}`);
  }
  return { ...parsed.data, dataDir: resolve(baseDir, parsed.data.dataDir) };
}
