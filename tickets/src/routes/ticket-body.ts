import { z } from 'zod';

/** Money has at most 2 decimals (DESIGN §2); checked on cents so 19.99 passes despite binary floats. */
function hasAtMostTwoDecimals(value: number): boolean {
  const cents = value * 100;
  return Math.abs(cents - Math.round(cents)) < 1e-6;
}

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

const price = z
  .number({ error: (issue) => (issue.input === undefined ? 'Price is required' : 'Price must be a number') })
  .positive('Price must be greater than 0')
  .max(1_000_000, 'Price must be at most 1,000,000')
  .refine(hasAtMostTwoDecimals, 'Price must have at most 2 decimals');

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
