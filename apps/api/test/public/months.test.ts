// The dashboard's monthly series: months zero-filled from the first to the last month of any city, and the
// top cities by revenue with the others summed.
import { describe, expect, it } from '@jest/globals';
// @ts-expect-error: a browser module of the dashboard, plain JavaScript without type declarations
import { monthRange, topSeries, zeroFilledSeries } from '../../public/js/months.js';

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

describe('topSeries', () => {
  const caMensuel = {
    Angers: { '2023-01': 1, '2023-02': 2 },
    Lyon: { '2023-01': 100.1 },
    Nantes: { '2023-02': 0.2 },
    Paris: { '2023-01': 50, '2023-02': 60 },
    Reims: { '2023-02': 0.1 },
  };

  it('keeps the cities with the most revenue and sums the others, month by month, to the cent', () => {
    expect(topSeries(caMensuel, 2)).toEqual({
      months: ['2023-01', '2023-02'],
      series: [
        { ville: 'Paris', values: [50, 60] },
        { ville: 'Lyon', values: [100.1, 0] },
      ],
      others: { count: 3, values: [1, 2.3] },
    });
  });

  it('keeps every city, in the answer order, when they are no more than the top', () => {
    const { series, others } = topSeries(caMensuel, 5);
    expect(series.map((s: { ville: string }) => s.ville)).toEqual(['Angers', 'Lyon', 'Nantes', 'Paris', 'Reims']);
    expect(others).toBeNull();
  });
});
