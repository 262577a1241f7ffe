// Monthly revenue as chart series: every month from the first to the last one of any city, 0 where a city
// sold nothing (the API lists only months with rows).

/** Every `YYYY-MM` from `first` to `last`, both included. */
export function monthRange(first, last) {
  const months = [];
  let [year, month] = first.split('-').map(Number);
  const [lastYear, lastMonth] = last.split('-').map(Number);
  while (year < lastYear || (year === lastYear && month <= lastMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

/**
 * `{ ville: { 'YYYY-MM': euros } }` → `{ months, series: [{ ville, values }] }`, the series in the answer's
 * order, each with one value per month.
 */
export function zeroFilledSeries(caMensuel) {
  const all = Object.values(caMensuel).flatMap((byMonth) => Object.keys(byMonth));
  if (all.length === 0) return { months: [], series: Object.keys(caMensuel).map((ville) => ({ ville, values: [] })) };
  all.sort();
  const months = monthRange(all[0], all[all.length - 1]);
  const series = Object.entries(caMensuel).map(([ville, byMonth]) => ({ ville, values: months.map((m) => byMonth[m] ?? 0) }));
  return { months, series };
}

/**
 * The `top` cities with the most revenue over every month (ties by the answer's order), each as a series,
 * and the others summed month by month: `{ months, series, others: { count, values } | null }`.
 */
export function topSeries(caMensuel, top) {
  const { months, series } = zeroFilledSeries(caMensuel);
  const total = (values) => values.reduce((sum, value) => sum + value, 0);
  const ranked = series.map((s, index) => ({ ...s, index, total: total(s.values) })).sort((a, b) => b.total - a.total || a.index - b.index);
  if (ranked.length <= top) return { months, series, others: null };
  const rest = ranked.slice(top);
  // Summed in cents, so the others' line is exact to the cent like every other figure.
  const values = months.map((_, m) => rest.reduce((cents, s) => cents + Math.round(s.values[m] * 100), 0) / 100);
  return {
    months,
    series: ranked.slice(0, top).map(({ ville, values: v }) => ({ ville, values: v })),
    others: { count: rest.length, values },
  };
}
