// How this lane checks marking codes, as stored by the settings screen and validated on load.
// Secrets (X-API-KEYs, the local module password, the ТС ПИоТ token) are in here: the caller keeps
// the stored form encrypted (safeStorage) and hands the parsed value to createMarkingChecker.
import { z } from 'zod';

const httpUrl = z.string().regex(/^https?:\/\/[^\s/]+/, 'an http(s) URL');
const inn = z.string().regex(/^\d{10}(\d{2})?$/, 'an INN of 10 or 12 digits');

export const LocalModuleSettings = z.object({
  url: httpUrl.default('http://127.0.0.1:5995'),
  user: z.string().default('admin'),
  password: z.string().default('admin'),
  /** X-ClientId: the fiscal drive (ФН) serial. */
  clientId: z.string().min(1),
  apiVersion: z.union([z.literal(1), z.literal(2)]).default(1),
  timeoutMs: z.number().int().min(50).max(10_000).default(1000),
});

export const TspiotSettings = z.object({
  url: httpUrl,
  apiVersion: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(2),
  clientInfo: z.object({ name: z.string().min(1), version: z.string().min(1), id: z.string().min(1), token: z.string() }),
  timeoutMs: z.number().int().min(50).max(30_000).default(2500),
});

export const MarkingCheckSettings = z.object({
  /** 'trueApi': the direct online check, the local module as fallback. 'tspiot': the ТС ПИоТ service. */
  mode: z.enum(['trueApi', 'tspiot']).default('trueApi'),
  /** The whole online attempt, ms: 1.5 s by law (§3.2). */
  budgetMs: z.number().int().min(50).max(10_000).default(1500),
  trueApi: z.object({
    cdnBase: httpUrl.default('https://cdn.crpt.ru'),
    /** X-API-KEY per seller INN; several legal entities may share one store. */
    apiKeys: z.record(inn, z.string().min(1)).default({}),
    defaultApiKey: z.string().min(1).nullable().default(null),
    fiscalDriveNumber: z.string().min(1).nullable().default(null),
  }).prefault({}),
  /** null: no local module on this lane. */
  localModule: LocalModuleSettings.nullable().default(null),
  /** Required when mode is 'tspiot'. */
  tspiot: TspiotSettings.nullable().default(null),
}).refine((s) => s.mode !== 'tspiot' || s.tspiot !== null, { message: "mode 'tspiot' needs the tspiot settings", path: ['tspiot'] });

export type MarkingCheckSettings = z.infer<typeof MarkingCheckSettings>;
/** What a caller may write: every field with a default may be left out. */
export type MarkingCheckSettingsInput = z.input<typeof MarkingCheckSettings>;

export function parseMarkingCheckSettings(input: unknown): MarkingCheckSettings {
  return MarkingCheckSettings.parse(input);
}
