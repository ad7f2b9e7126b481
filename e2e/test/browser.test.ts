import { randomUUID } from 'node:crypto';
import { chromium, type Browser } from 'playwright-core';
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

// Issue 15: a seller who clears the image URL on the edit form removes the image
// (the form sends `imageUrl: null`; an omitted field would keep it). The image is
// served by the browser itself, so the page really shows it before the edit.
describe('a seller removes the image of a ticket', () => {
  const imageUrl = 'https://images.gittix.test/ticket.png';
  // A 1×1 PNG.
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
    'base64',
  );
  let browser: Browser | undefined;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('clears the image URL on the edit form: the ticket page shows no image, the API has none', async () => {
    const baseUrl = externalBaseUrl ?? platform?.url ?? '';
    if (!browser) throw new Error('no browser');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true });
    try {
      await context.route(imageUrl, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: png }));
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));

      await page.goto(`${baseUrl}/auth/signup`);
      await page.getByLabel('Email').fill(`imageseller-${randomUUID()}@example.test`);
      await page.getByLabel('Password').fill('a long enough password');
      await page.getByLabel('Username').fill('imageseller');
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.waitForURL(`${baseUrl}/`);

      const title = `Pictured ${randomUUID().slice(0, 8)}`;
      await page.goto(`${baseUrl}/tickets/new`);
      await page.getByLabel('Title').fill(title);
      await page.getByLabel('Price (USD)').fill('15');
      await page.getByLabel('Image URL').fill(imageUrl);
      await page.getByRole('button', { name: 'List ticket' }).click();
      await page.waitForURL((url) => /^\/tickets\/[0-9a-f]{24}$/.test(url.pathname));
      const ticketPath = new URL(page.url()).pathname;
      const api = `${baseUrl}/api${ticketPath}`;

      const image = page.getByRole('img', { name: `Picture for ${title}` });
      await image.waitFor({ state: 'visible' });
      await expect(image.evaluate((img) => (img as HTMLImageElement).naturalWidth)).resolves.toBe(1);
      const listed = (await (await page.request.get(api)).json()) as { imageUrl: string | null; version: number };
      expect(listed.imageUrl).toBe(imageUrl);

      await page.getByRole('link', { name: 'Edit', exact: true }).click();
      await page.waitForURL(`${baseUrl}${ticketPath}/edit`);
      const field = page.getByLabel('Image URL');
      await expect(field.inputValue()).resolves.toBe(imageUrl);
      await field.fill('');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.waitForURL(`${baseUrl}${ticketPath}`);
      await page.getByRole('heading', { name: title }).waitFor();
      await expect(image.count()).resolves.toBe(0);

      // The server render agrees, and so does the API.
      await page.reload();
      await page.getByRole('heading', { name: title }).waitFor();
      await expect(image.count()).resolves.toBe(0);
      await expect(page.locator(`img[src="${imageUrl}"]`).count()).resolves.toBe(0);
      const edited = (await (await page.request.get(api)).json()) as Record<string, unknown>;
      expect(edited).toMatchObject({ title, price: 15, imageUrl: null, version: listed.version + 1 });
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
