import { describeBrowserJourneys } from '../support/browser-journeys';
import { removeDataDir, startPlatformProcess, type PlatformProcess } from '../support/platform';

// The browser journeys against a platform this test run starts itself through
// `npm start`'s entry, with a short reservation window so an order can expire
// in front of the browser. GITTIX_E2E_BASE_URL points them at an already running
// GitTix instead (with its window in GITTIX_E2E_EXPIRATION_WINDOW_SECONDS).
const externalBaseUrl = process.env.GITTIX_E2E_BASE_URL?.replace(/\/$/, '');
const expirationWindowSeconds = Number(process.env.GITTIX_E2E_EXPIRATION_WINDOW_SECONDS ?? '20');
let platform: PlatformProcess | undefined;

beforeAll(async () => {
  if (!externalBaseUrl)
    platform = await startPlatformProcess({ env: { EXPIRATION_WINDOW_SECONDS: String(expirationWindowSeconds) } });
}, 300_000);

afterAll(async () => {
  if (platform) {
    await platform.stop();
    removeDataDir(platform.dataDir);
  }
});

describeBrowserJourneys('npm-start', () => ({
  url: externalBaseUrl ?? platform?.url ?? '',
  expirationWindowSeconds,
}));
