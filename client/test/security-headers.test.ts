import { contentSecurityPolicy, createNonce, STATIC_SECURITY_HEADERS } from '../lib/security-headers';

/** The policy as `{ directive: sources }`. */
function parse(policy: string): Record<string, string[]> {
  const directives: Record<string, string[]> = {};
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives[name] = sources;
  }
  return directives;
}

const nonce = 'bm9uY2Utb2YtdGhpcy1wYWdl';

describe('contentSecurityPolicy', () => {
  const production = parse(contentSecurityPolicy({ nonce, development: false, stripe: false }));

  it('locks a production page to this site, scripts by nonce', () => {
    expect(production).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"],
      'style-src': ["'self'", `'nonce-${nonce}'`],
      'style-src-attr': ["'unsafe-inline'"],
      'img-src': ["'self'", 'data:', 'blob:', 'https:'],
      'font-src': ["'self'"],
      'connect-src': ["'self'"],
      'frame-src': ["'none'"],
      'object-src': ["'none'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    });
  });

  it('never allows eval or inline scripts in production', () => {
    for (const stripe of [false, true]) {
      const policy = contentSecurityPolicy({ nonce, development: false, stripe });
      expect(policy).not.toContain('unsafe-eval');
      expect(parse(policy)['script-src']).not.toContain("'unsafe-inline'");
      expect(parse(policy)['style-src']).not.toContain("'unsafe-inline'");
    }
  });

  it('names Stripe only when a publishable key is configured', () => {
    expect(JSON.stringify(production)).not.toContain('stripe');
    const withStripe = parse(contentSecurityPolicy({ nonce, development: false, stripe: true }));
    expect(withStripe['script-src']).toEqual([
      "'self'",
      `'nonce-${nonce}'`,
      "'strict-dynamic'",
      'https://js.stripe.com',
      'https://*.js.stripe.com',
    ]);
    expect(withStripe['frame-src']).toEqual([
      'https://js.stripe.com',
      'https://*.js.stripe.com',
      'https://hooks.stripe.com',
    ]);
    expect(withStripe['connect-src']).toEqual(["'self'", 'https://api.stripe.com']);
    expect(withStripe['img-src']).toEqual(production['img-src']);
  });

  it('allows eval (React refresh) and nonce-less styles (the dev overlay) in development only', () => {
    const development = parse(contentSecurityPolicy({ nonce, development: true, stripe: false }));
    expect(development['script-src']).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", "'unsafe-eval'"]);
    expect(development['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(development['frame-ancestors']).toEqual(["'none'"]);
  });

  it('is one header line Next can read the nonce from', () => {
    const policy = contentSecurityPolicy({ nonce, development: false, stripe: true });
    expect(policy).not.toMatch(/[\r\n]/);
    // What Next does (getScriptNonceFromHeader): the first 'nonce-…' source of script-src.
    const scriptSrc = policy.split(';').find((d) => d.trim().startsWith('script-src'));
    expect(scriptSrc?.match(/'nonce-([A-Za-z0-9+/_-]+={0,2})'/)?.[1]).toBe(nonce);
  });
});

describe('createNonce', () => {
  it('is 128 random bits in base64, different every time', () => {
    const nonces = new Set(Array.from({ length: 100 }, () => createNonce()));
    expect(nonces.size).toBe(100);
    for (const n of nonces) {
      expect(n).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(Buffer.from(n, 'base64')).toHaveLength(16);
    }
  });
});

describe('STATIC_SECURITY_HEADERS', () => {
  it('sends nosniff, the referrer policy and the old browsers’ framing rule', () => {
    expect(Object.fromEntries(STATIC_SECURITY_HEADERS.map((h) => [h.key.toLowerCase(), h.value]))).toEqual({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'x-frame-options': 'DENY',
    });
  });
});
