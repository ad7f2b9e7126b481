import { Router } from 'express';
import { filterCounts } from '../domain/list-tickets';
import type { Models } from '../models';

/** The most cities the filter list offers (the most listed first). */
const maxCities = 50;

/**
 * GET /api/tickets/filters: the cities and categories that have listed
 * tickets now (available, event not started), with counts, most first, for
 * the web app's filter controls: `{ cities: [{ city, count }], categories: [{ category, count }] }`.
 */
export function ticketFiltersRouter(models: Models): Router {
  return Router().get('/api/tickets/filters', async (_req, res) => {
    res.status(200).json(await filterCounts(models, maxCities));
  });
}
