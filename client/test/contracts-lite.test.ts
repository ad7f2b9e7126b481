import * as contracts from '@gittix/common/contracts';
import * as lite from '../lib/contracts-lite';

// contracts-lite.ts re-exports the contracts' zod-free rules (it says why): every one
// of them must be the contracts' own.
describe('contracts-lite', () => {
  it('has the statuses of the contracts themselves', () => {
    expect(lite.ticketStatuses).toBe(contracts.ticketStatuses);
    expect(lite.orderStatuses).toBe(contracts.orderStatuses);
    expect(lite.paymentStatuses).toBe(contracts.paymentStatuses);
    expect(lite.isOrderOpen).toBe(contracts.isOrderOpen);
    expect(lite.isOrderPayable).toBe(contracts.isOrderPayable);
  });

  it('has the account limits of the contracts themselves', () => {
    expect(lite.userFieldLimits).toBe(contracts.userFieldLimits);
  });

  it('names every category and sort of the contracts, in their order', () => {
    expect(lite.TICKET_CATEGORIES).toBe(contracts.ticketCategories);
    expect(lite.TICKET_SORTS).toBe(contracts.ticketSorts);
    expect(Object.keys(lite.CATEGORY_LABELS)).toEqual([...contracts.ticketCategories]);
    expect(Object.keys(lite.SORT_LABELS)).toEqual([...contracts.ticketSorts]);
    expect(lite.cityKey).toBe(contracts.cityKey);
    // The API's default sort (what an empty `sort` means).
    expect(contracts.ticketSearchSchema.parse({}).sort).toBe(lite.DEFAULT_SORT);
    for (const category of contracts.ticketCategories) expect(lite.isTicketCategory(category)).toBe(true);
    for (const other of ['', 'opera', 'Concert', 'toString', 'constructor', null, 3])
      expect(lite.isTicketCategory(other)).toBe(false);
  });

  it('tells a started event as hasEventStarted does', () => {
    const now = Date.parse('2027-06-05T18:00:00.000Z');
    for (const eventDate of [
      null,
      '2027-06-05T18:00:00.000Z',
      '2027-06-05T17:59:59.999Z',
      '2027-06-05T18:00:00.001Z',
      '2027-06-05T20:00:00.000+02:00',
      '2027-06-05T20:00:00.001+02:00',
      '2020-01-01T00:00:00Z',
      '2031-01-01T00:00:00Z',
    ]) {
      expect([eventDate, lite.eventHasStarted(eventDate, now)]).toEqual([
        eventDate,
        contracts.hasEventStarted(eventDate, now),
      ]);
    }
  });

  it('compares cities as cityKey does', () => {
    for (const city of ['Berlin', '  new  YORK ', 'São Paulo', 'Frankfurt am\tMain', 'ÖREBRO', ''])
      expect(lite.cityKey(city)).toBe(contracts.cityKey(city));
  });
});
