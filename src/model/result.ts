import type { Diagnostic } from './diagnostic.js';

/** The outcome of a phase that can fail on user input: a value (when there were no errors) plus diagnostics. */
export interface Checked<T> {
  value: T | undefined;
  diagnostics: Diagnostic[];
}
