/**
 * Where to go after signing in: only a path on this site. Anything that a
 * browser could read as another origin (`//evil.com`, `/\evil.com`,
 * `https://evil.com`, `javascript:`…) falls back to `fallback`.
 */
export function safeNextPath(next: string | string[] | null | undefined, fallback = '/'): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2048) return fallback;
  // Must be an absolute path, and not protocol-relative.
  if (!next.startsWith('/') || next.startsWith('//')) return fallback;
  // Browsers treat `\` like `/`; control characters and whitespace are stripped before parsing.
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f\s]/.test(next)) return fallback;
  try {
    const base = 'https://gittix.invalid';
    const url = new URL(next, base);
    if (url.origin !== base) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
