// A CPU profile of one window of a benchmark, for finding where its time goes: set
// PRILAVOK_BENCH_PROFILE to a file path (e.g. /tmp/idle.cpuprofile) and the bench writes the window's
// profile there (open it in Chromium's DevTools, Performance tab). Unset, it costs nothing.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/** Starts profiling when PRILAVOK_BENCH_PROFILE is set; the returned function stops and writes it. */
export async function startProfile(label: string): Promise<() => Promise<void>> {
  const file = process.env['PRILAVOK_BENCH_PROFILE'];
  if (!file) return async () => undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    process.stderr.write(`bench: CPU profile of ${label} written to ${file}\n`);
    session.disconnect();
  };
}
