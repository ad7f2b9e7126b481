import { randomUUID } from 'node:crypto';
import { chromium, request, type APIRequestContext, type Browser, type Page } from 'playwright-core';
import { describeBrowserJourneys, localDateTime, ticketBody, useBrowser, widths } from '../support/browser-journeys';
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
      await page.getByLabel('Event date and time').fill(localDateTime(30));
      await page.getByLabel('Venue').fill('Picture Hall');
      await page.getByLabel('City').fill('Lisbon');
      await page.getByLabel('Category').selectOption('theatre');
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

// Issue 12: the home page is a search page. Only this run (npm start) has these tests,
// which keeps the containers' and the cluster's runs short. Each test searches for
// words of its own (random suffixes), so no test sees another's tickets.
describe('the search page', () => {
  const kit = useBrowser('npm-start', () => ({ url: externalBaseUrl ?? platform?.url ?? '', expirationWindowSeconds }));
  const baseUrl = () => kit.baseUrl();
  const day = 86_400_000;
  /** The seller of every ticket here, through the API. */
  let seller: APIRequestContext;

  const unique = () => `w${randomUUID().replace(/-/g, '').slice(0, 10)}`;

  beforeAll(async () => {
    seller = await request.newContext({ baseURL: baseUrl() });
    const signedUp = await seller.post('/api/users/signup', {
      data: {
        email: `searchseller-${randomUUID()}@example.test`,
        password: 'a long enough password',
        username: 'searchseller',
      },
    });
    expect(signedUp.status()).toBe(201);
  });

  afterAll(async () => {
    await seller?.dispose();
  });

  async function list(fields: { title: string } & Record<string, unknown>): Promise<string> {
    const response = await seller.post('/api/tickets', { data: ticketBody(fields) });
    if (response.status() !== 201) throw new Error(`listing failed: ${response.status()} ${await response.text()}`);
    return ((await response.json()) as { id: string }).id;
  }

  /** Three tickets with `word` in them: two concerts in one city, a match in another. */
  async function listThree(word: string) {
    const aveiro = `Aveiro ${word}`;
    const braga = `Braga ${word}`;
    const inDays = (n: number) => new Date(Date.now() + n * day).toISOString();
    const jazz = {
      title: `Jazz trio ${word}`,
      venue: `Blue Room ${word}`,
      city: aveiro,
      category: 'concert',
      price: 20,
      eventDate: inDays(10),
    };
    const rock = {
      title: `Rock night ${word}`,
      venue: `Main Hall`,
      city: aveiro,
      category: 'concert',
      price: 45,
      eventDate: inDays(20),
    };
    const derby = {
      title: `Derby ${word}`,
      venue: 'Stadium',
      city: braga,
      category: 'sports',
      price: 30,
      eventDate: inDays(15),
    };
    for (const ticket of [jazz, rock, derby]) await list(ticket);
    return { aveiro, braga, jazz: jazz.title, rock: rock.title, derby: derby.title };
  }

  const titles = (page: Page) => page.locator('[data-testid=ticket-card] h2').allTextContents();

  /** Waits until the grid shows exactly these titles, in this order (and is not loading). */
  async function expectTitles(page: Page, expected: string[]): Promise<void> {
    try {
      await page.waitForFunction(
        (want) => {
          if (document.querySelector('[data-testid=results][aria-busy=true]')) return false;
          const shown = [...document.querySelectorAll('[data-testid=ticket-card] h2')].map((h) => h.textContent);
          return JSON.stringify(shown) === JSON.stringify(want);
        },
        expected,
        { timeout: 10_000 },
      );
    } catch {
      expect(await titles(page)).toEqual(expected);
    }
  }

  async function expectCount(page: Page, text: string): Promise<void> {
    await page
      .getByTestId('result-count')
      .filter({ hasText: new RegExp(`^${text.replace(/[+]/g, '\\+')}$`) })
      .waitFor({ timeout: 10_000 });
  }

  const searchParams = (page: Page) => Object.fromEntries(new URL(page.url()).searchParams);

  it('typing a search narrows the grid, and replaces the URL rather than adding to the history', async () => {
    const word = unique();
    const three = await listThree(word);
    const page = await kit.openPage();
    await kit.goto(page, '/');
    const historyLength = await page.evaluate(() => history.length);

    const box = page.getByRole('searchbox', { name: 'Search tickets' });
    /** Once the buyer pauses, the URL has the words (and on a platform with only these tickets, nothing else tells). */
    const searched = (q: string) => page.waitForURL((url) => url.searchParams.get('q') === q);
    await box.pressSequentially(word, { delay: 15 });
    await searched(word);
    await expectTitles(page, [three.derby, three.rock, three.jazz]); // newest first
    await expectCount(page, '3 tickets');
    expect(searchParams(page)).toEqual({ q: word });

    await box.pressSequentially(' jazz', { delay: 15 });
    await searched(`${word} jazz`);
    await expectTitles(page, [three.jazz]);
    await expectCount(page, '1 ticket');
    // Every word must appear, in the title, venue, city or description.
    await box.fill(`${word} blue aveiro`);
    await searched(`${word} blue aveiro`);
    await expectTitles(page, [three.jazz]);
    await box.fill(`${word} opera`);
    await searched(`${word} opera`);
    await page.getByText('No tickets match your search').waitFor();
    expect(await page.evaluate(() => history.length)).toBe(historyLength);
  });

  it('puts every filter in the URL, Back undoes one at a time, and "Clear filters" clears them', async () => {
    const word = unique();
    const three = await listThree(word);
    const page = await kit.openPage();
    await kit.goto(page, `/?q=${word}`);
    await expectTitles(page, [three.derby, three.rock, three.jazz]);
    await expectCount(page, '3 tickets');

    await page.getByLabel('Category', { exact: true }).selectOption('concert');
    await expectTitles(page, [three.rock, three.jazz]);
    await page.getByLabel('City', { exact: true }).selectOption(three.aveiro);
    await expectTitles(page, [three.rock, three.jazz]);
    const maxPrice = page.getByLabel('Max', { exact: true });
    await maxPrice.fill('30');
    await maxPrice.press('Enter');
    await expectTitles(page, [three.jazz]);
    await page.getByLabel('Sort by').selectOption('price_desc');
    // From the buyer's own day, 12 days ahead: the jazz (in 10 days) is too early.
    await page.getByLabel('From', { exact: true }).fill(localDateTime(12).slice(0, 10));
    await page.getByText('No tickets match your search').waitFor();

    const params = searchParams(page);
    expect(params).toMatchObject({
      q: word,
      city: three.aveiro,
      category: 'concert',
      maxPrice: '30',
      sort: 'price_desc',
    });
    expect(params.from).toMatch(new RegExp(`^${localDateTime(12).slice(0, 10)}T00:00:00\\.000[+-]\\d{2}:\\d{2}$`));
    expect(Object.keys(params)).toEqual(['q', 'city', 'category', 'from', 'maxPrice', 'sort']);

    await page.goBack();
    await expectTitles(page, [three.jazz]);
    expect(searchParams(page).from).toBeUndefined();
    await expect(page.getByLabel('From', { exact: true }).inputValue()).resolves.toBe('');
    await page.goBack(); // the sort
    await page.goBack(); // the price
    await expectTitles(page, [three.rock, three.jazz]);
    await expect(maxPrice.inputValue()).resolves.toBe('');
    await page.goForward();
    await expectTitles(page, [three.jazz]);
    await expect(maxPrice.inputValue()).resolves.toBe('30');

    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.waitForURL(`${baseUrl()}/`);
    // The controls follow the URL on the render after it changed.
    await page.waitForFunction(() =>
      ['q', 'category', 'city', 'maxPrice'].every(
        (name) => document.querySelector<HTMLInputElement>(`[name="${name}"]`)?.value === '',
      ),
    );
    await expect(page.getByRole('searchbox', { name: 'Search tickets' }).inputValue()).resolves.toBe('');
    await expect(page.getByLabel('Category', { exact: true }).inputValue()).resolves.toBe('');
  });

  it('the results the server rendered are not dimmed or called "Searching…" while the browser checks them again', async () => {
    const word = unique();
    const three = await listThree(word);
    const page = await kit.openPage();
    // Everything the page ever shows, from its first byte: was the grid ever busy, the count ever "Searching…"?
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { busySeen: string[] }).busySeen = seen;
      const look = () => {
        if (document.querySelector('[data-testid=results][aria-busy=true]')) seen.push('busy');
        if (document.querySelector('[data-testid=result-count]')?.textContent?.includes('Searching'))
          seen.push('searching');
      };
      new MutationObserver(look).observe(document, {
        subtree: true,
        childList: true,
        attributes: true,
        characterData: true,
      });
    });
    // The browser's own check of the first page takes a while, so any busy state would be on screen.
    const checks: string[] = [];
    await page.route(
      (url) => url.pathname === '/api/tickets',
      async (route) => {
        checks.push(route.request().url());
        await new Promise((resolve) => setTimeout(resolve, 800));
        await route.continue();
      },
    );
    const checked = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/tickets');
    await kit.goto(page, `/?q=${word}`);
    await expectTitles(page, [three.derby, three.rock, three.jazz]);
    await expectCount(page, '3 tickets');
    await checked;
    await page.waitForLoadState('networkidle');
    // The check did run (the results stay live), and the grid was shown as the answer all along.
    expect(checks.length).toBeGreaterThanOrEqual(1);
    await expectTitles(page, [three.derby, three.rock, three.jazz]);
    expect(await page.evaluate(() => (window as unknown as { busySeen: string[] }).busySeen)).toEqual([]);
  });

  it('a shared URL shows the same results in another browser, in another time zone, rendered by the server', async () => {
    const word = unique();
    const three = await listThree(word);
    const first = await kit.openPage(widths.desktop, { timezoneId: 'Europe/Berlin' });
    await kit.goto(first, `/?q=${word}`);
    await expectTitles(first, [three.derby, three.rock, three.jazz]);
    await first.getByLabel('Sort by').selectOption('price_asc');
    const from = new Date(Date.now() + 12 * day).toLocaleDateString('en-CA', { timeZone: 'Europe/Berlin' });
    await first.getByLabel('From', { exact: true }).fill(from);
    await expectTitles(first, [three.derby, three.rock]);
    await expectCount(first, '2 tickets');
    const shared = first.url();
    expect(searchParams(first).from).toMatch(new RegExp(`^${from}T00:00:00\\.000\\+0[12]:00$`));

    const other = await kit.openPage(widths.phone, { timezoneId: 'America/New_York' });
    const response = await other.goto(shared);
    // The server's HTML already has the results of the search.
    const html = (await response?.text()) ?? '';
    expect(html).toContain(three.derby);
    expect(html).toContain(three.rock);
    expect(html).not.toContain(three.jazz);
    await other.waitForLoadState('networkidle');
    await expectTitles(other, [three.derby, three.rock]);
    await expectCount(other, '2 tickets');
    await expect(other.getByRole('searchbox', { name: 'Search tickets' }).inputValue()).resolves.toBe(word);
    await expect(other.getByLabel('Sort by').inputValue()).resolves.toBe('price_asc');
    await expect(other.getByLabel('From', { exact: true }).inputValue()).resolves.toBe(from);
    await other.getByRole('button', { name: /^Filters and sort/ }).click();
    await other.getByLabel('Sort by').waitFor({ state: 'visible' });
  });

  it('an event that has started leaves the home page; its page says so; the seller sees it as past', async () => {
    const word = unique();
    const startsAt = Date.now() + 8_000;
    const id = await list({ title: `Soon ${word}`, eventDate: new Date(startsAt).toISOString(), category: 'comedy' });
    const page = await kit.openPage();
    await kit.goto(page, `/?q=${word}`);
    await expectTitles(page, [`Soon ${word}`]);
    await kit.goto(page, `/tickets/${id}`);
    await page.getByRole('link', { name: 'Purchase' }).waitFor();

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, startsAt - Date.now() + 1_000)));
    await kit.goto(page, `/?q=${word}`);
    await page.getByText('No tickets match your search').waitFor();
    expect(await titles(page)).toEqual([]);
    await kit.goto(page, `/tickets/${id}`);
    await page.getByText('This event has already taken place').waitFor();
    await expect(page.getByRole('link', { name: 'Purchase' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Purchase' }).count()).resolves.toBe(0);

    const mine = await kit.openPage(widths.phone);
    await mine.context().addCookies((await seller.storageState()).cookies);
    await kit.goto(mine, '/tickets/mine');
    const card = mine.getByTestId('ticket-card').filter({ hasText: `Soon ${word}` });
    await expect(card.getByTestId('ticket-past').textContent()).resolves.toBe('past');
  }, 60_000);

  it('the seller deletes a ticket from its page (the dialog loads on demand); it leaves the search', async () => {
    const word = unique();
    const id = await list({ title: `Unwanted ${word}` });
    const page = await kit.openPage(widths.phone);
    await page.context().addCookies((await seller.storageState()).cookies);
    await kit.goto(page, `/tickets/${id}`);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete this ticket?' });
    await dialog.waitFor();
    // Its colours are checked once it has faded in.
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    await kit.expectNoSeriousAxeViolations(page);
    await dialog.getByRole('button', { name: 'Delete ticket' }).click();
    await page.waitForURL(`${baseUrl()}/tickets/mine`);
    await kit.goto(page, `/?q=${word}`);
    await page.getByText('No tickets match your search').waitFor();
  });

  it('a URL with values the API refuses shows why, and each can be removed or all cleared', async () => {
    const word = unique();
    const three = await listThree(word);
    const page = await kit.openPage(widths.phone);
    await kit.goto(page, `/?q=${word}&from=soon&minPrice=abc`);
    const notice = page.getByRole('status').filter({ hasText: 'This search link cannot be used as it is' });
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toMatch(/From date must be a date/);
    await expect(notice.textContent()).resolves.toMatch(/Min price must be an amount/);
    await kit.expectNoSeriousAxeViolations(page);
    await kit.screenshot(page, 'search-refused');

    await notice.getByRole('button', { name: 'Remove from date' }).click();
    await page.waitForURL((url) => !url.searchParams.has('from'));
    await notice.getByRole('button', { name: 'Remove min price' }).click();
    await expectTitles(page, [three.derby, three.rock, three.jazz]);
    expect(searchParams(page)).toEqual({ q: word });
    await expect(notice.count()).resolves.toBe(0);

    await kit.goto(page, `/?q=${word}&sort=cheapest`);
    await notice.waitFor();
    await notice.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL(`${baseUrl()}/`);
    await page.getByTestId('ticket-card').first().waitFor();
    await expect(notice.count()).resolves.toBe(0);
  });

  it('"Load more" keeps the filters', async () => {
    const word = unique();
    for (let i = 0; i < 51; i++) await list({ title: `Bulk ${word} #${i}`, category: 'festival', price: 10 + i });
    for (let i = 0; i < 3; i++) await list({ title: `Bulk ${word} other #${i}`, category: 'sports' });
    const page = await kit.openPage();
    await kit.goto(page, `/?q=${word}&category=festival`);
    await expectCount(page, '51 tickets');
    await expect(page.getByTestId('ticket-card').count()).resolves.toBe(50);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=ticket-card]').length === 51);
    const shown = await titles(page);
    expect(shown.filter((t) => t.includes('other'))).toEqual([]);
    expect(new Set(shown).size).toBe(51);
    await expect(page.getByRole('button', { name: 'Load more' }).count()).resolves.toBe(0);
  }, 60_000);

  it('the search (filters applied), ticket and sell pages have no serious accessibility violations at desktop and phone width (screenshots of the search)', async () => {
    const word = unique();
    const three = await listThree(word);
    const ticketId = await list({
      title: `Accessible ${word}`,
      description: 'Two seats, row 5.',
      venue: 'Coliseu',
      city: `Aveiro ${word}`,
      category: 'theatre',
    });
    const cookies = (await seller.storageState()).cookies;
    for (const width of Object.values(widths)) {
      const page = await kit.openPage(width);
      await page.context().addCookies(cookies);
      await kit.goto(page, `/?q=${word}&category=concert&sort=price_asc`);
      await expectTitles(page, [three.jazz, three.rock]);
      await kit.expectNoSeriousAxeViolations(page);
      await kit.screenshot(page, 'search');
      if (width === widths.phone) {
        await page.getByRole('button', { name: /^Filters and sort/ }).click();
        await page.getByLabel('City', { exact: true }).waitFor({ state: 'visible' });
        await kit.expectNoSeriousAxeViolations(page);
        await kit.screenshot(page, 'search-filters-open');
      }
      // Nothing is wider than the screen.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect([width, overflow]).toEqual([width, 0]);

      await kit.goto(page, `/tickets/${ticketId}`);
      await page.getByTestId('ticket-venue').filter({ hasText: 'Coliseu' }).waitFor();
      await kit.expectNoSeriousAxeViolations(page);
      await kit.screenshot(page, 'ticket-event');

      await kit.goto(page, '/tickets/new');
      await kit.expectNoSeriousAxeViolations(page);
      await page.getByRole('button', { name: 'List ticket' }).click(); // empty form: field errors
      await page.getByText('Enter the date and time of the event').waitFor();
      await kit.expectNoSeriousAxeViolations(page);
      await kit.screenshot(page, 'sell-errors');
      const overflowSell = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect([width, overflowSell]).toEqual([width, 0]);
    }
  }, 120_000);
});
