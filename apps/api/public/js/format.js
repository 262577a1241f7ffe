// How the page writes numbers, money, sizes, dates and durations: French conventions, euros.

const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const eurosCompact = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', notation: 'compact', maximumFractionDigits: 1 });
const integers = new Intl.NumberFormat('fr-FR');
const compact = new Intl.NumberFormat('fr-FR', { notation: 'compact', maximumFractionDigits: 1 });
const percents = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const oneDecimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
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
  if (seconds < 60) return `${oneDecimal.format(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
}

/** Bytes as `850 o`, `12,4 Ko`, `2,9 Mo`, `1,2 Go` (units of 1024, as file managers show them). */
export function formatBytes(bytes) {
  const units = ['o', 'Ko', 'Mo', 'Go', 'To'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? integers.format(value) : oneDecimal.format(value)} ${units[unit]}`;
}

/** Rows per second of a run (valid and rejected rows over its duration): `1,2 M rows/s`, or `—`. */
export function formatRowRate(rows, ms) {
  if (!ms || ms <= 0 || !rows) return '—';
  return `${compact.format((rows * 1000) / ms)} rows/s`;
}
