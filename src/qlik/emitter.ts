/** A small typed event emitter, so the core stays free of DOM event classes. */
export class Emitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<(detail: never) => void>>();

  /** Adds a listener; returns the function that removes it. */
  on<K extends keyof Events>(type: K, listener: (detail: Events[K]) => void): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener as (detail: never) => void);
    return () => this.off(type, listener);
  }

  off<K extends keyof Events>(type: K, listener: (detail: Events[K]) => void): void {
    const set = this.#listeners.get(type);
    set?.delete(listener as (detail: never) => void);
    if (set?.size === 0) this.#listeners.delete(type);
  }

  protected emit<K extends keyof Events>(type: K, detail: Events[K]): void {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) {
      (listener as (detail: Events[K]) => void)(detail);
    }
  }

  /** How many listeners are attached, across all types (for leak tests). */
  listenerCount(): number {
    let count = 0;
    for (const set of this.#listeners.values()) count += set.size;
    return count;
  }
}
