/** Jest globalTeardown: stops what the global setup started. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__GITTIX_INFRA__?.stop();
  globalThis.__GITTIX_INFRA__ = undefined;
}
