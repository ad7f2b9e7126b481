import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AxeResults } from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import type { JourneyTarget } from './api-journeys';

/** What every page of the web app must answer with (client/lib/security-headers.ts). */
const PAGE_HEADERS: Record<string, RegExp> = {
  'x-content-type-options': /^nosniff$/,
  'referrer-policy': /^strict-origin-when-cross-origin$/,
  'x-frame-options': /^DENY$/,
};

/** The directives the pages' Content-Security-Policy must hold, whatever the deployment adds. */
const CSP_REQUIREMENTS: [directive: string, mustMatch: RegExp][] = [
  ['default-src', /^'self'$/],
  ['script-src', /^'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'( |$)/],
  ['style-src', /^'self' 'nonce-[A-Za-z0-9+/=]{16,}'$/],
  ['connect-src', /^'self'( |$)/],
  ['object-src', /^'none'$/],
  ['base-uri', /^'self'$/],
  ['form-action', /^'self'$/],
  ['frame-ancestors', /^'none'$/],
];

/** Marks the console line the page's CSP violation listener writes (see openPage). */
const CSP_VIOLATION = '[csp-violation]';

/** What is wrong with the security headers of one page response (empty when nothing is). */
function securityHeaderProblems(headers: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [name, expected] of Object.entries(PAGE_HEADERS)) {
    if (!expected.test(headers[name] ?? '')) found.push(`${name}: ${headers[name] ?? '(missing)'}`);
  }
  const csp = headers['content-security-policy'];
  if (!csp) return [...found, 'content-security-policy: (missing)'];
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name = '', ...sources]) => [name, sources.join(' ')]),
  );
  for (const [directive, mustMatch] of CSP_REQUIREMENTS) {
    if (!mustMatch.test(directives.get(directive) ?? '')) found.push(`CSP ${directive}: ${directives.get(directive)}`);
  }
  if (/unsafe-eval/.test(csp)) found.push(`CSP allows eval: ${csp}`);
  return found;
}

/** Viewport widths the pages are checked at. */
export const widths = { desktop: 1280, phone: 390 } as const;

const pad = (n: number) => String(n).padStart(2, '0');

/** A `datetime-local` value `days` from now on this machine's clock (the browser's, unless a test gives it another zone). */
export function localDateTime(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The body of POST /api/tickets with the required event fields filled in (an event a month ahead); `fields` win. */
export function ticketBody(fields: { title: string } & Record<string, unknown>): Record<string, unknown> {
  return {
    price: 10,
    eventDate: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    venue: 'Test Hall',
    city: 'Testville',
    category: 'other',
    ...fields,
  };
}

export interface EventFields {
  eventDate?: string;
  venue?: string;
  city?: string;
  category?: string;
}

/** What the tests of a `describe` get from {@link useBrowser}. */
export interface BrowserKit {
  baseUrl(): string;
  /** A fresh browser (own cookies) at a width, in a time zone (this machine's unless given). */
  openPage(width?: number, options?: { timezoneId?: string }): Promise<Page>;
  goto(page: Page, pathname: string): Promise<void>;
  expectNoSeriousAxeViolations(page: Page): Promise<void>;
  /** A full-page screenshot into e2e/screenshots/<target>/<name>-<width>.png (git-ignored). */
  screenshot(page: Page, name: string): Promise<void>;
  signUpThroughTheForm(page: Page, username: string): Promise<void>;
  /** Lists a ticket through the sell form (by default an event a month ahead); the ticket page's path. */
  listTicketThroughTheForm(page: Page, title: string, price: string, event?: EventFields): Promise<string>;
  /** The problems found and the page responses whose headers were checked so far in this test. */
  pageChecks(): Promise<{ problems: string[]; checkedPages: string[] }>;
}

/**
 * Debian's Chromium (playwright-core, never a downloaded browser) for the
 * tests of the current `describe`, against any running GitTix: the `npm
 * start` platform, the containers or the cluster. Any page it opens fails
 * its test on a page error (an uncaught exception, a hydration failure), a
 * request off the site, a page without its security headers or a
 * Content-Security-Policy violation. Screenshots go to e2e/screenshots
 * (git-ignored), one folder per target.
 */
export function useBrowser(name: string, target: () => JourneyTarget): BrowserKit {
  const baseUrl = () => target().url;
  const screenshotDir = path.join(__dirname, '..', 'screenshots', name); // git-ignored
  const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /**
   * Page errors (uncaught exceptions, hydration failures), requests off the site, pages
   * without their security headers and CSP violations, per test.
   */
  let problems: string[] = [];
  /** Header checks still reading a response (awaited before `problems` is). */
  const pendingChecks: Promise<void>[] = [];
  /** The page responses whose headers were checked in this test. */
  let checkedPages: string[] = [];

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
    await Promise.all(pendingChecks.splice(0));
    for (const context of contexts.splice(0)) await context.close();
    const found = problems;
    problems = [];
    checkedPages = [];
    expect(found).toEqual([]);
  });

  afterAll(async () => {
    if (browser) await browser.close();
  });

  /** Every page load (redirects included) of the site carries the CSP, nosniff, Referrer-Policy and frame headers. */
  function checkSecurityHeaders(page: Page, response: Response): void {
    const request = response.request();
    const url = new URL(response.url());
    if (!request.isNavigationRequest() || request.frame() !== page.mainFrame()) return;
    if (url.origin !== new URL(baseUrl()).origin || url.pathname.startsWith('/api/')) return;
    const label = `${response.status()} ${url.pathname}${url.search}`;
    checkedPages.push(label);
    pendingChecks.push(
      response.allHeaders().then(
        (headers) => {
          for (const problem of securityHeaderProblems(headers)) problems.push(`${label}: ${problem}`);
        },
        (error: unknown) => {
          problems.push(`headers of ${url.href} unreadable: ${String(error)}`);
        },
      ),
    );
  }

  /**
   * A fresh browser (own cookies) at a width; page errors, off-site requests, pages without
   * their security headers and Content-Security-Policy violations fail the test.
   */
  async function openPage(width: number = widths.desktop, options: { timezoneId?: string } = {}): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width, height: width > 500 ? 900 : 844 },
      ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
      // A self-signed origin (the containers' gateway, as the dev Ingress): the journeys test the app, not the certificate.
      ignoreHTTPSErrors: target().ca !== undefined,
    });
    contexts.push(context);
    // In every document, before the app's scripts: report what the page's CSP blocks.
    await context.addInitScript((marker: string) => {
      document.addEventListener(
        'securitypolicyviolation',
        (e) => {
          const where = e.sourceFile ? ` at ${e.sourceFile}:${e.lineNumber}` : '';
          console.error(`${marker} ${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}${where} ${e.sample}`);
        },
        true,
      );
    }, CSP_VIOLATION);
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
    page.on('console', (message) => {
      const text = message.text();
      // The listener's report, or Chromium's own "Refused to … Content Security Policy" line.
      if (text.startsWith(CSP_VIOLATION) || (message.type() === 'error' && /Content Security Policy/i.test(text)))
        problems.push(`CSP violation on ${page.url()}: ${text}`);
    });
    page.on('request', (req) => {
      const url = new URL(req.url());
      // Nothing may be fetched from the internet (no Stripe.js without a key, no remote fonts).
      if (url.protocol.startsWith('http') && url.origin !== new URL(baseUrl()).origin) {
        problems.push(`request off the site: ${req.url()}`);
      }
    });
    page.on('response', (response) => checkSecurityHeaders(page, response));
    return page;
  }

  async function goto(page: Page, pathname: string): Promise<void> {
    await page.goto(`${baseUrl()}${pathname}`);
    await page.waitForLoadState('networkidle');
  }

  async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
    // What a reader is left with: results dimmed while a search loads (aria-busy),
    // or still fading back in, are checked once that has ended.
    await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached', timeout: 15_000 });
    await page.waitForFunction(() => document.getAnimations().length === 0, undefined, { timeout: 15_000 });
    // Evaluated, not added as a <script>: the pages' CSP rightly refuses an inline script without its nonce.
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(`${axeSource}\n;undefined`);
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

  async function listTicketThroughTheForm(
    page: Page,
    title: string,
    price: string,
    event: EventFields = {},
  ): Promise<string> {
    await page.getByRole('link', { name: 'Sell a ticket' }).first().click();
    await page.waitForURL('**/tickets/new');
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Event date and time').fill(event.eventDate ?? localDateTime(30));
    await page.getByLabel('Venue').fill(event.venue ?? 'Test Hall');
    await page.getByLabel('City').fill(event.city ?? 'Testville');
    await page.getByLabel('Category').selectOption(event.category ?? 'concert');
    await page.getByLabel('Price (USD)').fill(price);
    await page.getByLabel('Description').fill('Row 5, seat 12.');
    await page.getByRole('button', { name: 'List ticket' }).click();
    await page.waitForURL((url) => /^\/tickets\/[^/]+$/.test(url.pathname) && url.pathname !== '/tickets/new');
    return new URL(page.url()).pathname;
  }

  async function pageChecks(): Promise<{ problems: string[]; checkedPages: string[] }> {
    await Promise.all(pendingChecks);
    return { problems: [...problems], checkedPages: [...checkedPages] };
  }

  return {
    baseUrl,
    openPage,
    goto,
    expectNoSeriousAxeViolations,
    screenshot,
    signUpThroughTheForm,
    listTicketThroughTheForm,
    pageChecks,
  };
}

/**
 * The buyer and seller journeys in a browser (see {@link useBrowser}), against
 * any running GitTix: the `npm start` platform, the containers or the cluster.
 */
export function describeBrowserJourneys(name: string, target: () => JourneyTarget): void {
  describe('the web client in a browser', () => browserJourneys(name, target));
}

function browserJourneys(name: string, target: () => JourneyTarget): void {
  const {
    baseUrl,
    openPage,
    goto,
    expectNoSeriousAxeViolations,
    screenshot,
    signUpThroughTheForm,
    listTicketThroughTheForm,
    pageChecks,
  } = useBrowser(name, target);

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
      await expect(buyer.getByTestId('refund-notice').count()).resolves.toBe(0);

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

    it('signed in, a sign-in or sign-up link with any nasty `next` lands on this site’s home page', async () => {
      const page = await openPage();
      await signUpThroughTheForm(page, 'redirected');
      // As they appear in the address bar: raw, encoded once, double-encoded.
      const queries = [
        'next=/.//evil.example',
        'next=%2F%2Fevil.example',
        'next=//evil.example',
        'next=/%5Cevil.example',
        'next=/\\evil.example',
        'next=https://evil.example/',
        'next=javascript:alert(1)',
        'next=/%252e%252e//evil.example',
        ...['/%2e//evil.example', '/a/..//evil.example', '/%2F%2Fevil.example', '/\t/evil.example'].map(
          (next) => `next=${encodeURIComponent(next)}`,
        ),
      ];
      for (const form of ['signin', 'signup']) {
        for (const query of queries) {
          await goto(page, `/auth/${form}?${query}`);
          expect([form, query, page.url()]).toEqual([form, query, `${baseUrl()}/`]);
        }
        // And a path on this site is still honoured.
        await goto(page, `/auth/${form}?next=${encodeURIComponent('/tickets/mine')}`);
        expect(page.url()).toBe(`${baseUrl()}/tickets/mine`);
      }
    });

    it('every page answers with its security headers, and a redirect too', async () => {
      const page = await openPage();
      await goto(page, '/');
      await goto(page, '/auth/signin');
      await goto(page, '/no-such-page');
      await goto(page, '/orders'); // 307 to sign in, then the sign-in page
      const { problems, checkedPages } = await pageChecks();
      expect(problems).toEqual([]);
      expect(checkedPages).toEqual([
        '200 /',
        '200 /auth/signin',
        '404 /no-such-page',
        '307 /orders',
        `200 /auth/signin?next=${encodeURIComponent('/orders')}`,
      ]);
      // The nonce is fresh for every page, and it is the one on the page's scripts and styles.
      const nonces = new Set<string>();
      for (let i = 0; i < 2; i++) {
        const response = await page.goto(`${baseUrl()}/auth/signup`);
        const csp = (await response?.allHeaders())?.['content-security-policy'] ?? '';
        const nonce = /'nonce-([^']+)'/.exec(csp)?.[1] ?? '';
        nonces.add(nonce);
        const html = (await response?.text()) ?? '';
        const tags = html.match(/<(script|style)\b[^>]*>/g) ?? [];
        expect(tags.length).toBeGreaterThan(0);
        expect(tags.filter((tag) => !tag.includes(`nonce="${nonce}"`))).toEqual([]);
      }
      expect(nonces.size).toBe(2);
    });

    it('a cancelled order says when its payment was refunded, and nothing otherwise', async () => {
      const seller = await openPage();
      await signUpThroughTheForm(seller, 'refundseller');
      const ticketPath = await listTicketThroughTheForm(seller, `Refund ${randomUUID().slice(0, 8)}`, '10');
      const buyer = await openPage(widths.phone);
      await signUpThroughTheForm(buyer, 'refundbuyer');
      await buy(buyer, ticketPath);

      await buyer.getByRole('button', { name: 'Cancel order and release the ticket' }).click();
      await buyer.getByText('This order was cancelled').waitFor();
      await buyer.waitForLoadState('networkidle');
      // Cancelled without a payment: nothing about a refund.
      await expect(buyer.getByTestId('refund-notice').count()).resolves.toBe(0);

      // A buyer who cancels and pays at the same moment: the charge goes through, the
      // cancellation wins, and payments refunds it. Raced for real, with the buyer's own
      // session, until a round ends that way (the payment may also win: then that order is paid).
      const api = buyer.request;
      let refundedOrder: string | undefined;
      for (let round = 0; round < 8 && !refundedOrder; round++) {
        const listed = await seller.request.post(`${baseUrl()}/api/tickets`, {
          data: ticketBody({ title: `Race ${randomUUID().slice(0, 8)}`, price: 10 }),
        });
        const ticketId = ((await listed.json()) as { id: string }).id;
        let orderId: string | undefined;
        for (let tries = 0; tries < 50 && !orderId; tries++) {
          const ordered = await api.post(`${baseUrl()}/api/orders`, { data: { ticketId } });
          if (ordered.status() === 201) orderId = ((await ordered.json()) as { id: string }).id;
          else await new Promise((r) => setTimeout(r, 100)); // orders learns of the ticket by event
        }
        if (!orderId) throw new Error('the orders service never learned of the ticket');
        await Promise.all([
          api.delete(`${baseUrl()}/api/orders/${orderId}`),
          api.post(`${baseUrl()}/api/payments`, { data: { orderId, token: 'tok_visa' } }),
        ]);
        for (let polls = 0; polls < 100; polls++) {
          const order = (await (await api.get(`${baseUrl()}/api/orders/${orderId}`)).json()) as { status: string };
          const payments = (await (await api.get(`${baseUrl()}/api/payments?orderId=${orderId}`)).json()) as {
            status: string;
          }[];
          if (order.status === 'complete' || (order.status === 'cancelled' && payments.length === 0)) break;
          if (order.status === 'cancelled' && payments[0]?.status === 'refunded') refundedOrder = orderId;
          if (refundedOrder) break;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      if (!refundedOrder) throw new Error('in 8 rounds, no cancel-and-pay race ended with a refund');

      await goto(buyer, `/orders/${refundedOrder}`);
      await buyer.getByText('This order was cancelled').waitFor();
      await expect(buyer.getByTestId('refund-notice').textContent({ timeout: 10_000 })).resolves.toBe(
        'Your payment of $10.00 was refunded.',
      );
      await expectNoSeriousAxeViolations(buyer);
    }, 120_000);

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
