/** Injected time source (tests pass a fixed or advancing clock). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
