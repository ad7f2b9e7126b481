import { priceInput } from '@gittix/common';
import { z } from 'zod';

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const title = z
  .string({ error: (issue) => (issue.input === undefined ? 'Title is required' : 'Title must be a string') })
  .trim()
  .min(1, 'Title is required')
  .max(120, 'Title must be at most 120 characters');

// At most 2 decimals, from 0.50 to 999,999.99: what Stripe can charge in USD (common's money rules).
const price = priceInput;

const description = z
  .string({ error: 'Description must be a string' })
  .trim()
  .max(2000, 'Description must be at most 2000 characters')
  .nullable();

const imageUrl = z
  .string({ error: 'Image URL must be a string' })
  .trim()
  .max(2048, 'Image URL must be at most 2048 characters')
  .refine(isHttpUrl, 'Image URL must be an http(s) URL')
  .nullable();

/**
 * The body of POST and PUT /api/tickets: `title` and `price` required;
 * `description` and `imageUrl` optional — omitted on a PUT keeps the current
 * value, `null` clears it. Unknown fields are ignored.
 */
export const ticketBodySchema = z.object({
  title,
  price,
  description: description.optional(),
  imageUrl: imageUrl.optional(),
});
