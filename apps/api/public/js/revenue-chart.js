// Monthly revenue as a line chart: one series per city shown, months zero-filled from first to last.
import { formatEuros, formatEurosCompact, formatMonth } from './format.js';
import { zeroFilledSeries } from './months.js';

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

  /** `caMensuel` as the API gives it; `colourOf(ville)` keeps a city's colour whatever is selected. */
  show(caMensuel, colourOf) {
    const { months, series } = zeroFilledSeries(caMensuel);
    const single = series.length === 1;
    this.chart.data.labels = months.map(formatMonth);
    this.chart.data.datasets = series.map(({ ville, values }) => ({
      label: ville,
      data: values,
      borderColor: colourOf(ville),
      backgroundColor: single ? `${colourOf(ville)}22` : colourOf(ville),
      fill: single,
      borderWidth: single ? 2.5 : 1.5,
      pointRadius: single ? 3 : 0,
      pointHoverRadius: 4,
      // Monotone curves never dip below 0 between two months.
      cubicInterpolationMode: 'monotone',
    }));
    this.chart.options.plugins.legend.display = !single;
    this.chart.update();
  }
}
