import { fullyDecode, safeNextPath } from '../lib/safe-redirect';

describe('safeNextPath', () => {
  it.each([
    ['/orders', '/orders'],
    ['/ok/path?q=1#h', '/ok/path?q=1#h'],
    ['/tickets/665f1c2e9b1d4a0012345678', '/tickets/665f1c2e9b1d4a0012345678'],
    ['/auth/signin?next=%2Forders', '/auth/signin?next=%2Forders'],
    // A legitimate escape keeps its meaning: the normalised original is returned, not the decoded form.
    ['/search?q=a%26b', '/search?q=a%26b'],
    ['/a/./b/../c', '/a/c'],
    ['/a/%2e%2e/orders', '/orders'],
    // What follows the path cannot leave the site: `//` in a query or a fragment is just text.
    ['/tickets?next=//x', '/tickets?next=//x'],
    ['/orders#//x', '/orders#//x'],
  ])('keeps the same-site path %j as %j', (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });

  it.each([
    '//x',
    '/.//x',
    '/%2e//x',
    '/%2E%2E//x',
    '/a/..//x',
    '/a/%2e%2e//x',
    '/\\x',
    '/%5cx',
    '/%5C%5Cx',
    '%2F%2Fx',
    '/%2F%2Fx',
    '/%252e%252e//x',
    '/%25252F%25252Fx',
    'https://x',
    'HTTPS://x/',
    'http:/x',
    'javascript:alert(1)',
    '/javascript:alert(1)//%0a',
    ' /orders',
    '/\t/x',
    '/\n/x',
    '/%09/x',
    '/%00',
    '/x%7f',
    '\\\\x',
    'orders',
    '',
    '/100%',
    '/%zz',
  ])('sends %j home', (next) => {
    expect(safeNextPath(next)).toBe('/');
  });

  it('sends home what is too long to be a path of this site', () => {
    expect(safeNextPath(`/${'a'.repeat(2047)}`)).toBe(`/${'a'.repeat(2047)}`);
    expect(safeNextPath(`/${'a'.repeat(2048)}`)).toBe('/');
  });

  it('sends home what is not one string', () => {
    expect(safeNextPath(undefined)).toBe('/');
    expect(safeNextPath(null)).toBe('/');
    expect(safeNextPath(['/orders', '//x'])).toBe('/');
  });

  it('uses the given fallback', () => {
    expect(safeNextPath('//x', '/tickets/mine')).toBe('/tickets/mine');
    expect(safeNextPath(undefined, '/orders')).toBe('/orders');
    expect(safeNextPath('/orders', '/tickets/mine')).toBe('/orders');
  });

  it('never returns anything that leaves the site, whatever the input', () => {
    const parts = ['/', '\\', '.', '..', '%2e', '%2f', '%5c', '%25', '2e', 'x', ':', '@', '?', '#', '%0a', '\t'];
    let checked = 0;
    for (const a of parts)
      for (const b of parts)
        for (const c of parts) {
          const next = `/${a}${b}${c}`;
          const result = safeNextPath(next);
          checked++;
          expect(result.startsWith('/')).toBe(true);
          expect(result.startsWith('//') || result.startsWith('/\\')).toBe(false);
          // eslint-disable-next-line no-control-regex
          expect(result).not.toMatch(/[\\\u0000-\u001f\u007f]/);
          expect(new URL(result, 'https://gittix.test').origin).toBe('https://gittix.test');
          const decoded = fullyDecode(result);
          expect(decoded).not.toBeNull();
          expect(new URL(decoded ?? '', 'https://gittix.test').origin).toBe('https://gittix.test');
          expect(safeNextPath(result)).toBe(result); // idempotent
        }
    expect(checked).toBe(parts.length ** 3);
  });
});

describe('fullyDecode', () => {
  it('decodes until stable, five rounds at most', () => {
    expect(fullyDecode('/plain')).toBe('/plain');
    expect(fullyDecode('/%2e')).toBe('/.');
    expect(fullyDecode(`/%${'25'.repeat(4)}2e`)).toBe('/.'); // five rounds
    expect(fullyDecode(`/%${'25'.repeat(5)}2e`)).toBeNull(); // still changing after five
  });

  it('gives up on malformed escapes', () => {
    expect(fullyDecode('/%')).toBeNull();
    expect(fullyDecode('/%zz')).toBeNull();
    expect(fullyDecode('/%E0%A4%A')).toBeNull();
  });
});
