/**
 * Where to go after signing in or up: only a path on this site.
 *
 * `next` is honoured only when it is a same-origin path both as it is and
 * after full percent-decoding (repeated until stable, a few rounds at most):
 * a proxy, a server or a second redirect further along may decode it again,
 * so `/%2e//evil.com` or `/%252e%252e//evil.com` must be as unwelcome as
 * `/.//evil.com`. Each form is normalised the way a browser resolves it
 * (dot segments, `%2e` included), and the result may not start with `//` or
 * `/\`, nor contain a backslash or a control character. Anything else (a
 * scheme, `javascript:`, a protocol-relative URL, malformed escapes) is
 * `fallback`.
 *
 * The normalised original is returned (not the decoded form), so a legitimate
 * escape such as `?q=a%26b` keeps its meaning. The function is idempotent.
 */

const MAX_LENGTH = 2048;
/** Rounds of percent-decoding before giving up on a value that keeps changing. */
const MAX_DECODE_ROUNDS = 5;
const BASE = new URL('https://gittix.invalid');

// C0 controls, DEL and C1 controls, and the backslash browsers read as `/`.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\\\u0000-\u001f\u007f-\u009f]/;

/** Percent-decodes until nothing changes; null when malformed or still changing after the last round. */
export function fullyDecode(value: string, rounds = MAX_DECODE_ROUNDS): string | null {
  let current = value;
  for (let round = 0; round <= rounds; round++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      return null; // `%zz`, a lone `%`, invalid UTF-8
    }
    if (decoded === current) return current;
    current = decoded;
  }
  return null;
}

/** A browser's reading of `value` as a same-origin path (`/p?q#h`), or null if it is not one. */
function normalisedPath(value: string): string | null {
  if (!value.startsWith('/') || value.startsWith('//') || FORBIDDEN.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE.origin) return null;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments (`/.//x`, `/a/..//x`, `/%2e//x`) can leave a protocol-relative path behind.
  if (path.startsWith('//') || path.startsWith('/\\') || FORBIDDEN.test(path)) return null;
  return path;
}

export function safeNextPath(next: string | string[] | null | undefined, fallback = '/'): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > MAX_LENGTH) return fallback;
  const decoded = fullyDecode(next);
  if (decoded === null || normalisedPath(decoded) === null) return fallback;
  const path = normalisedPath(next);
  if (path === null) return fallback;
  // The normalised form must itself be stable and safe (it is what the Location header carries).
  const again = fullyDecode(path);
  if (again === null || normalisedPath(again) === null || normalisedPath(path) !== path) return fallback;
  return path;
}
