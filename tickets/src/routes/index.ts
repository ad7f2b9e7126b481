import { Router } from 'express';
import type { TicketDeps } from '../domain/deps';
import { deleteTicketRouter } from './delete-ticket';
import { indexTicketsRouter } from './index-tickets';
import { newTicketRouter } from './new-ticket';
import { showTicketRouter } from './show-ticket';
import { ticketFiltersRouter } from './ticket-filters';
import { updateTicketRouter } from './update-ticket';

/** Every route of the tickets API. */
export function routes(deps: TicketDeps): Router {
  return Router().use(
    indexTicketsRouter(deps.models),
    // Before `/api/tickets/:id`, which would read `filters` as an id.
    ticketFiltersRouter(deps.models),
    newTicketRouter(deps),
    showTicketRouter(deps.models),
    updateTicketRouter(deps),
    deleteTicketRouter(deps),
  );
}
