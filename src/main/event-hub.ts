import type { AppEvent } from '../shared/contract';

/** Main → renderer events. Electron forwards them to every window; the web bridge to its SSE clients. */
export interface EventHub {
  emit(event: AppEvent): void;
  subscribe(listener: (event: AppEvent) => void): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<(event: AppEvent) => void>();
  return {
    emit(event) {
      for (const listener of listeners) listener(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
