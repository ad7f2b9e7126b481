import { z } from 'zod';
import { priceInput } from './money';

/** How long each field of a ticket may be; the API refuses longer values and the web form stops at them. */
export const ticketFieldLimits = {
  title: 120,
  description: 2000,
  imageUrl: 2048,
} as const;

/** True for an absolute http(s) URL (the only kind of image link a ticket may carry). */
export function isHttpUrl(value: string): boolean {
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
  .max(ticketFieldLimits.title, `Title must be at most ${ticketFieldLimits.title} characters`);

const description = z
  .string({ error: 'Description must be a string' })
  .trim()
  .max(ticketFieldLimits.description, `Description must be at most ${ticketFieldLimits.description} characters`)
  .nullable();

const imageUrl = z
  .string({ error: 'Image URL must be a string' })
  .trim()
  .max(ticketFieldLimits.imageUrl, `Image URL must be at most ${ticketFieldLimits.imageUrl} characters`)
  .refine(isHttpUrl, 'Image URL must be an http(s) URL')
  .nullable();

/**
 * The body of POST and PUT /api/tickets: `title` and `price` required (the
 * price rules are money.ts's); `description` and `imageUrl` optional. On a PUT
 * an omitted field keeps its value and `null` clears it. Unknown fields are ignored.
 */
export const ticketBodySchema = z.object({
  title,
  price: priceInput,
  description: description.optional(),
  imageUrl: imageUrl.optional(),
});
export type TicketBody = z.infer<typeof ticketBodySchema>;
