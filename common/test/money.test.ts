import { fromCents, hasAtMostTwoDecimals, isChargeableCents, priceInput, toCents } from '../src/contracts/money';

describe('money', () => {
  it.each([
    [19.99, 1999],
    [0.5, 50],
    [999_999.99, 99_999_999],
    [0.1 + 0.2, 30],
    [1.15, 115],
    [4.35, 435],
  ])('%d units are %d cents, exactly', (units, cents) => {
    expect(toCents(units)).toBe(cents);
    expect(fromCents(cents)).toBeCloseTo(units, 10);
  });

  it.each([1e-9, 10.001, 0.005, Number.NaN, Number.POSITIVE_INFINITY])('%d is refused rather than rounded', (units) => {
    expect(hasAtMostTwoDecimals(units)).toBe(false);
    expect(() => toCents(units)).toThrow(RangeError);
  });

  it.each([
    [0.5, true],
    [0.49, false],
    [999_999.99, true],
    [1_000_000, false],
    [1e-9, false],
    [12.345, false],
    [-5, false],
  ])('price %d is a valid input: %s', (price, valid) => {
    expect(priceInput.safeParse(price).success).toBe(valid);
  });

  it('a chargeable amount is a whole number of cents from 50 to 99,999,999', () => {
    expect([49, 50, 99_999_999, 100_000_000, 50.5].map(isChargeableCents)).toEqual([false, true, true, false, false]);
  });
});
