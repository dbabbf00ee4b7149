/** How long {@link waitFor} polls by default: generous, so a busy machine never fails a test on time alone. */
const DEFAULT_DEADLINE_MS = 30_000;

/**
 * Polls `condition` every few milliseconds until it returns something other than `undefined`/`false`,
 * and resolves with that value. Rejects with `Timed out after …: <what>` once `deadlineMs` has passed, so
 * a test that waits for something that never comes says what it waited for.
 */
export async function waitFor<T>(
  what: string,
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  { deadlineMs = DEFAULT_DEADLINE_MS, intervalMs = 5 } = {},
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await condition();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
