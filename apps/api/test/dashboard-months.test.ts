// The dashboard's monthly series: months zero-filled from the first to the last month of any city.
import { describe, expect, it } from '@jest/globals';
// @ts-expect-error: a browser module of the dashboard, plain JavaScript without type declarations
import { monthRange, zeroFilledSeries } from '../public/js/months.js';

describe('monthRange', () => {
  it('lists every month, across years, both ends included', () => {
    expect(monthRange('2022-11', '2023-02')).toEqual(['2022-11', '2022-12', '2023-01', '2023-02']);
    expect(monthRange('2023-05', '2023-05')).toEqual(['2023-05']);
  });
});

describe('zeroFilledSeries', () => {
  it('gives every city a value for every month between the first and the last, 0 where it had no rows', () => {
    const { months, series } = zeroFilledSeries({
      Lyon: { '2023-01': 1200.5, '2023-03': 349.9 },
      Paris: { '2022-12': 10, '2023-02': 98765.4 },
    });
    expect(months).toEqual(['2022-12', '2023-01', '2023-02', '2023-03']);
    expect(series).toEqual([
      { ville: 'Lyon', values: [0, 1200.5, 0, 349.9] },
      { ville: 'Paris', values: [10, 0, 98765.4, 0] },
    ]);
  });

  it('handles a city without rows', () => {
    expect(zeroFilledSeries({ Paris: {} })).toEqual({ months: [], series: [{ ville: 'Paris', values: [] }] });
  });
});
