// How the page writes numbers, money, dates and durations: French conventions, euros.

const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const eurosCompact = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', notation: 'compact', maximumFractionDigits: 1 });
const integers = new Intl.NumberFormat('fr-FR');
const percents = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const dateTimes = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'medium' });
const monthNames = new Intl.DateTimeFormat('fr-FR', { month: 'short', year: 'numeric', timeZone: 'UTC' });

export function formatEuros(value) {
  return euros.format(value);
}

/** Axis ticks: `1,2 M €`. */
export function formatEurosCompact(value) {
  return eurosCompact.format(value);
}

export function formatInteger(value) {
  return integers.format(value);
}

export function formatPercent(value) {
  return `${percents.format(value)} %`;
}

export function formatDateTime(iso) {
  return iso ? dateTimes.format(new Date(iso)) : '—';
}

/** `2023-01` → `janv. 2023`. */
export function formatMonth(yyyyMm) {
  const [year, month] = yyyyMm.split('-').map(Number);
  return monthNames.format(new Date(Date.UTC(year, month - 1, 1)));
}

/** Milliseconds as `850 ms`, `12,4 s` or `3 min 05 s`. */
export function formatDuration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toLocaleString('fr-FR', { maximumFractionDigits: 1 })} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
}
