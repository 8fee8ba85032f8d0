import { create } from 'zustand';
import type { LinkState } from '../transport/ws-transport';

interface ConnectionState {
  link: LinkState;
  /** true once the first connection succeeded: a later drop is "lost", not "still starting". */
  everOpen: boolean;
  setState(link: LinkState): void;
}

export const useConnection = create<ConnectionState>((set) => ({
  link: 'connecting',
  everOpen: false,
  setState: (link) => set((s) => ({ link, everOpen: s.everOpen || link === 'open' })),
}));
