import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AxeResults } from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { JourneyTarget } from './api-journeys';

/**
 * The buyer and seller journeys in Debian's Chromium (playwright-core, never a
 * downloaded browser), against any running GitTix: the `npm start` platform,
 * the containers or the cluster. Screenshots go to e2e/screenshots (git-ignored),
 * one folder per target.
 */
export function describeBrowserJourneys(name: string, target: () => JourneyTarget): void {
  describe('the web client in a browser', () => browserJourneys(name, target));
}

function browserJourneys(name: string, target: () => JourneyTarget): void {
  const baseUrl = () => target().url;
  const screenshotDir = path.join(__dirname, '..', 'screenshots', name); // git-ignored
  const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const widths = { desktop: 1280, phone: 390 } as const;

  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** Page errors (uncaught exceptions, hydration failures) and requests off the site, per test. */
  let problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 300_000);

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    const found = problems;
    problems = [];
    expect(found).toEqual([]);
  });

  afterAll(async () => {
    if (browser) await browser.close();
  });

  /** A fresh browser (own cookies) at a width; page errors and off-site requests fail the test. */
  async function openPage(width: number = widths.desktop): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width, height: width > 500 ? 900 : 844 },
      // A self-signed origin (the containers' gateway, as the dev Ingress): the journeys test the app, not the certificate.
      ignoreHTTPSErrors: target().ca !== undefined,
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
    page.on('request', (req) => {
      const url = new URL(req.url());
      // Nothing may be fetched from the internet (no Stripe.js without a key, no remote fonts).
      if (url.protocol.startsWith('http') && url.origin !== new URL(baseUrl()).origin) {
        problems.push(`request off the site: ${req.url()}`);
      }
    });
    return page;
  }

  async function goto(page: Page, pathname: string): Promise<void> {
    await page.goto(`${baseUrl()}${pathname}`);
    await page.waitForLoadState('networkidle');
  }

  async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
    await page.addScriptTag({ content: axeSource });
    const results = await page.evaluate(() =>
      (window as unknown as { axe: { run: () => Promise<AxeResults> } }).axe.run(),
    );
    const serious = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.html).join(' | ')})`);
    expect(serious).toEqual([]);
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    const width = page.viewportSize()?.width ?? 0;
    await page.screenshot({ path: path.join(screenshotDir, `${name}-${width}.png`), fullPage: true });
  }

  async function signUpThroughTheForm(page: Page, username: string): Promise<void> {
    await goto(page, '/auth/signup');
    await page.getByLabel('Email').fill(`${username}-${randomUUID()}@example.test`);
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByLabel('Username').fill(username);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(`${baseUrl()}/`);
    await page.getByTestId('current-username').filter({ hasText: username }).waitFor();
  }

  async function listTicketThroughTheForm(page: Page, title: string, price: string): Promise<string> {
    await page.getByRole('link', { name: 'Sell a ticket' }).first().click();
    await page.waitForURL('**/tickets/new');
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Price (USD)').fill(price);
    await page.getByLabel('Description').fill('Row 5, seat 12.');
    await page.getByRole('button', { name: 'List ticket' }).click();
    await page.waitForURL((url) => /^\/tickets\/[^/]+$/.test(url.pathname) && url.pathname !== '/tickets/new');
    return new URL(page.url()).pathname;
  }

  async function buy(page: Page, ticketPath: string): Promise<string> {
    await goto(page, ticketPath);
    await page.getByRole('button', { name: 'Purchase' }).click();
    await page.waitForURL(/\/orders\/[^/]+$/);
    await page.getByTestId('countdown').waitFor();
    return new URL(page.url()).pathname;
  }

  describe('journeys', () => {
    it('a seller lists a ticket; a buyer sees the countdown, is declined, pays with Visa and sees complete; the ticket leaves home and shows sold to the seller', async () => {
      const seller = await openPage();
      await signUpThroughTheForm(seller, 'seller');
      const title = `Concert ${randomUUID().slice(0, 8)}`;
      const ticketPath = await listTicketThroughTheForm(seller, title, '25.5');
      await expect(seller.getByTestId('ticket-price').textContent()).resolves.toBe('$25.50');

      const buyer = await openPage(widths.phone);
      await signUpThroughTheForm(buyer, 'buyer');
      await buy(buyer, ticketPath);

      const countdown = buyer.getByTestId('countdown');
      const first = await countdown.textContent();
      expect(first).toMatch(/^\d{2}:\d{2}$/);
      await buyer.waitForFunction(
        (before) => document.querySelector('[data-testid=countdown]')?.textContent !== before,
        first,
      );

      await buyer.getByText('Declined').click();
      await buyer.getByRole('button', { name: /^Pay / }).click();
      // Stripe's own message for the declined test card.
      await buyer
        .getByRole('alert')
        .filter({ hasText: /declined/i })
        .first()
        .waitFor();

      await buyer.getByText('Visa — succeeds').click();
      await buyer.getByRole('button', { name: /^Pay / }).click();
      await buyer.getByText('Payment complete').waitFor({ timeout: 20_000 });
      await expect(buyer.getByTestId('order-status-text').textContent()).resolves.toBe('complete');

      await goto(buyer, '/');
      await expect(buyer.getByRole('link', { name: title }).count()).resolves.toBe(0);

      await goto(seller, '/tickets/mine');
      const card = seller.getByTestId('ticket-card').filter({ hasText: title });
      await expect(card.getByTestId('ticket-status').textContent()).resolves.toBe('sold');
    });

    it('an order that is not paid in time says it expired and offers a way back', async () => {
      const seller = await openPage();
      await signUpThroughTheForm(seller, 'seller');
      const ticketPath = await listTicketThroughTheForm(seller, `Late ${randomUUID().slice(0, 8)}`, '10');
      const buyer = await openPage(widths.phone);
      await signUpThroughTheForm(buyer, 'buyer');
      await buy(buyer, ticketPath);

      await buyer
        .getByText(/This order (has expired|was cancelled)/)
        .waitFor({ timeout: (target().expirationWindowSeconds + 15) * 1000 });
      await expect(buyer.getByRole('link', { name: 'Back to tickets' }).isVisible()).resolves.toBe(true);
      await expect(buyer.getByRole('button', { name: /^Pay / }).count()).resolves.toBe(0);
    }, 120_000);

    it('signing out hides the private pages', async () => {
      const page = await openPage();
      await signUpThroughTheForm(page, 'leaver');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).waitFor();

      for (const pathname of ['/orders', '/tickets/mine', '/tickets/new']) {
        await goto(page, pathname);
        expect(page.url()).toBe(`${baseUrl()}/auth/signin?next=${encodeURIComponent(pathname)}`);
      }
    });

    it('after signing in it returns only to a path on this site', async () => {
      const page = await openPage();
      await signUpThroughTheForm(page, 'returner');
      for (const next of ['//evil.example', 'https://evil.example/', '/\\evil.example']) {
        await goto(page, `/auth/signin?next=${encodeURIComponent(next)}`);
        expect(new URL(page.url()).origin).toBe(new URL(baseUrl()).origin);
      }
    });

    it('home, ticket, order and sign-in pages have no serious accessibility violations, at desktop and phone width (screenshots of each)', async () => {
      const seller = await openPage();
      await signUpThroughTheForm(seller, 'a11yseller');
      const ticketPath = await listTicketThroughTheForm(seller, `Accessible ${randomUUID().slice(0, 8)}`, '12');

      for (const width of Object.values(widths)) {
        const visitor = await openPage(width);
        const pages = { home: '/', ticket: ticketPath, signin: '/auth/signin', signup: '/auth/signup' };
        for (const [name, pathname] of Object.entries(pages)) {
          await goto(visitor, pathname);
          await expectNoSeriousAxeViolations(visitor);
          await screenshot(visitor, name);
        }
        await visitor.getByRole('button', { name: 'Sign up' }).click(); // empty form: field errors
        await expectNoSeriousAxeViolations(visitor);
        await screenshot(visitor, 'signup-errors');
      }

      const buyer = await openPage(widths.phone);
      await signUpThroughTheForm(buyer, 'a11ybuyer');
      const orderPath = await buy(buyer, ticketPath);
      await expectNoSeriousAxeViolations(buyer);
      await screenshot(buyer, 'order');
      await goto(buyer, '/orders');
      await screenshot(buyer, 'my-orders');
      await goto(buyer, orderPath);
      await buyer.getByRole('button', { name: 'Cancel order and release the ticket' }).click();
      await buyer.getByText('This order was cancelled').waitFor();
      await expectNoSeriousAxeViolations(buyer);
    }, 180_000);
  });
}
