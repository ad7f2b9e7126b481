import type { Response } from 'express';

/**
 * Answers a page of a listing: the items as JSON, and while more follow a
 * `Link: <…>; rel="next"` header, relative (so it stays right behind any
 * ingress or gateway host), repeating the listing's own filters and limit.
 */
export function sendPage<T>(
  res: Response,
  listing: { path: string; params: Record<string, string | number | undefined> },
  page: { items: T[]; nextCursor?: string },
  toJson: (item: T) => unknown,
): void {
  if (page.nextCursor !== undefined) {
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries(listing.params)) if (value !== undefined) next.set(key, String(value));
    next.set('cursor', page.nextCursor);
    res.setHeader('Link', `<${listing.path}?${next.toString()}>; rel="next"`);
  }
  res.status(200).json(page.items.map(toJson));
}
