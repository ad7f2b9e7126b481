import { BadRequestError } from '@gittix/common/core';
import type { Types } from 'mongoose';
import { changeTicket } from './change-ticket';
import type { TicketDeps } from './deps';
import { ownedTicket } from './update-ticket';

/**
 * A seller deletes an unreserved ticket. It becomes a tombstone (`deleted`),
 * not a removed document: the `ticket:deleted` event lives in the document
 * until it is published, and a hard delete would lose it with a crash
 * (docs/decisions/0011-ticket-deletion-tombstone.md).
 */
export async function deleteTicket(deps: TicketDeps, id: Types.ObjectId, userId: string): Promise<void> {
  await changeTicket(deps, id, (current) => {
    const own = ownedTicket(current, userId);
    if (own.status === 'reserved') throw new BadRequestError('Cannot delete a reserved ticket');
    if (own.status === 'sold') throw new BadRequestError('Cannot delete a sold ticket');
    return { set: { deleted: true, deletedAt: new Date() }, event: 'ticket:deleted' };
  });
}
