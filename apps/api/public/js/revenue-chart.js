// Monthly revenue as a line chart. All cities: the 8 with the most revenue, one line each, and the others
// summed into one dashed line (22 lines would be a tangle); one city: its own line, filled.
import { formatEuros, formatEurosCompact, formatMonth } from './format.js';
import { topSeries } from './months.js';
import { OTHERS_COLOUR, RANK_COLOURS } from './palette.js';

/** Cities drawn one by one in the all-cities view. */
export const TOP_CITIES = 8;

export class RevenueChart {
  constructor(canvas) {
    this.chart = new window.Chart(canvas, {
      type: 'line',
      data: { labels: [], datasets: [] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        // Drawn at once: new data replaces the old without a transition, also when the window is resized.
        animation: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          y: { beginAtZero: true, ticks: { callback: (value) => formatEurosCompact(value) } },
          x: { ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 12 } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 10, boxHeight: 10, padding: 10 } },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label} : ${formatEuros(item.parsed.y)}` } },
        },
      },
    });
  }

  /**
   * `caMensuel` as the API gives it; `colourOf(ville)` is a city's own colour, for the one-city view (the
   * all-cities view colours lines by rank). Returns what is drawn: `{ shown: [villes], others: n }`.
   */
  show(caMensuel, colourOf) {
    const { months, series, others } = topSeries(caMensuel, TOP_CITIES);
    const single = series.length === 1 && others === null;
    this.chart.data.labels = months.map(formatMonth);
    const datasets = series.map(({ ville, values }, rank) => ({
      label: ville,
      data: values,
      borderColor: single ? colourOf(ville) : RANK_COLOURS[rank % RANK_COLOURS.length],
      backgroundColor: single ? `${colourOf(ville)}22` : RANK_COLOURS[rank % RANK_COLOURS.length],
      fill: single,
      borderWidth: single ? 2.5 : 1.8,
      pointRadius: single ? 3 : 0,
      pointHoverRadius: 4,
      // Monotone curves never dip below 0 between two months.
      cubicInterpolationMode: 'monotone',
    }));
    if (others !== null) {
      datasets.push({
        label: `${others.count} other cities (sum)`,
        data: others.values,
        borderColor: OTHERS_COLOUR,
        backgroundColor: OTHERS_COLOUR,
        borderDash: [6, 4],
        borderWidth: 1.8,
        pointRadius: 0,
        pointHoverRadius: 4,
        cubicInterpolationMode: 'monotone',
      });
    }
    this.chart.data.datasets = datasets;
    this.chart.options.plugins.legend.display = !single;
    this.chart.update();
    return { shown: series.map((s) => s.ville), others: others?.count ?? 0 };
  }
}
