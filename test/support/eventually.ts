/**
 * Retries an assertion until it passes or the time is up. The global log shows an event once no
 * older transaction is still running anywhere on the server, so suites running side by side can
 * delay it a little.
 */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
