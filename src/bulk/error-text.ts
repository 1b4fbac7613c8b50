/** A one-line message for an error (clients' errors never carry credentials). */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}
