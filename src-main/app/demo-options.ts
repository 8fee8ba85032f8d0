// The demo configuration's devices, in one place for both shells (Electron and browser mode): the
// fiscal register, marking-check channels, bank terminals, scale and printer are emulators started
// in-process, driven through the same drivers and clients a real lane uses.
import type { CreateAppOptions } from './create-app';

export function demoAppOptions(env: NodeJS.ProcessEnv = process.env): Pick<CreateAppOptions, 'demo' | 'fiscal' | 'marking' | 'payments' | 'devices' | 'demoUnplugged'> {
  return {
    demo: true, fiscal: 'demo-emulator', marking: 'demo-emulators', payments: 'demo-emulators', devices: 'demo-emulators',
    // PRILAVOK_DEMO_UNPLUGGED=terminal-a: a demo terminal configured but not answering, to show failover.
    demoUnplugged: (env.PRILAVOK_DEMO_UNPLUGGED ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  };
}
