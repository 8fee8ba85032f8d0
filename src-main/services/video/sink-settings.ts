// The lane's video sinks are lane settings data (settings table, key "videoSinks"), validated on read:
// a stored sink that no longer parses is skipped and logged, never guessed at.
import { z } from 'zod';
import { VideoSinkConfig } from '../../contract';
import type { SalesStore } from '../../store/sales-store';

export const VIDEO_SINKS_KEY = 'videoSinks';
/** More sinks than this on one lane is a configuration mistake, not a store's video setup. */
export const MAX_VIDEO_SINKS = 8;

export function readSinks(store: SalesStore, log: (message: string) => void): VideoSinkConfig[] {
  const raw = store.settings.get(VIDEO_SINKS_KEY, z.array(z.unknown()), []);
  const sinks: VideoSinkConfig[] = [];
  for (const item of raw) {
    const parsed = VideoSinkConfig.safeParse(item);
    if (parsed.success) sinks.push(parsed.data);
    else log(`[video] a stored sink is invalid and is ignored: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return sinks;
}
