'use client';

import { Button, CloseButton, Dialog, Portal, Stack } from '@chakra-ui/react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useSWRConfig } from 'swr';
import { ApiError, deleteTicket, keys, type Ticket } from '@/lib/api';
import { ErrorList } from './ui';

/** "Delete", with the dialog that asks first (the ticket page loads it only for the seller). */
export function DeleteTicketButton({ ticket }: { ticket: Ticket }) {
  const router = useRouter();
  const { mutate } = useSWRConfig();
  const [open, setOpen] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function handleDelete() {
    setDeleting(true);
    setError(null);
    try {
      await deleteTicket(ticket.id);
      await mutate(keys.ticket(ticket.id), undefined, { revalidate: false });
      setOpen(false);
      router.push('/tickets/mine');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Could not delete the ticket. Please try again.');
      setDeleting(false);
    }
  }

  return (
    <Dialog.Root role="alertdialog" open={open} onOpenChange={(d) => setOpen(d.open)} placement="center">
      <Dialog.Trigger asChild>
        <Button variant="outline" colorPalette="red">
          Delete
        </Button>
      </Dialog.Trigger>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner px="4">
          <Dialog.Content>
            <Dialog.Header>
              <Dialog.Title>Delete this ticket?</Dialog.Title>
            </Dialog.Header>
            <Dialog.Body>
              <Stack gap="3">
                <Dialog.Description>
                  “{ticket.title}” will be removed from sale. This cannot be undone.
                </Dialog.Description>
                {error ? <ErrorList messages={[error]} /> : null}
              </Stack>
            </Dialog.Body>
            <Dialog.Footer>
              <Dialog.ActionTrigger asChild>
                <Button variant="outline">Keep it</Button>
              </Dialog.ActionTrigger>
              <Button colorPalette="red" onClick={() => void handleDelete()} loading={deleting} loadingText="Deleting">
                Delete ticket
              </Button>
            </Dialog.Footer>
            <Dialog.CloseTrigger asChild>
              <CloseButton size="sm" aria-label="Close" />
            </Dialog.CloseTrigger>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
