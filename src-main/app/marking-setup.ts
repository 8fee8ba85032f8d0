// Which channels check marking codes at this lane: the configured True API / local module / ТС ПИоТ,
// or — in the demo configuration — the True API and local-module emulators started in-process on
// 127.0.0.1, so that the demo sells marked goods through the same client code a real lane uses.
import { createMarkingChecker, type MarkingCodeChecker } from '../marking/marking-checker';
import { parseMarkingCheckSettings, type MarkingCheckSettingsInput } from '../marking/check-settings';
import { TrueApiEmulator } from '../marking/emulators/truapi-emulator';
import { LocalModuleEmulator } from '../marking/emulators/lm-emulator';

export type MarkingConfig = 'demo-emulators' | MarkingCheckSettingsInput;

export interface MarkingSetup {
  checker: MarkingCodeChecker;
  close(): Promise<void>;
}

/** The demo's emulated hosts answer at once; the demo API key is accepted by the emulator only. */
export async function setUpMarking(config: MarkingConfig, fnSerial: string): Promise<MarkingSetup> {
  if (config === 'demo-emulators') {
    const truapi = await TrueApiEmulator.start({ hosts: 2, latencyMs: 0 });
    const lm = await LocalModuleEmulator.start({ status: 'ready' });
    const checker = createMarkingChecker(parseMarkingCheckSettings({
      mode: 'trueApi',
      trueApi: { cdnBase: truapi.cdnBase, defaultApiKey: 'demo-api-key' },
      localModule: { url: lm.url, clientId: fnSerial },
    }));
    await checker.start();
    return { checker, close: async () => { checker.stop(); await truapi.close(); await lm.close(); } };
  }
  const checker = createMarkingChecker(parseMarkingCheckSettings(config));
  await checker.start();
  return { checker, close: async () => { checker.stop(); } };
}
