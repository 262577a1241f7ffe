// Sales (ventes) vs rentals (locations) per city as horizontal stacked bars, one row per city so that every
// name stays readable however many cities and however narrow the screen; counts or percentages.
import { formatInteger, formatPercent } from './format.js';
import { LOCATION_COLOUR, VENTE_COLOUR } from './palette.js';

/** Height given to each city's bar, and to the axis and legend around them. */
const ROW_PX = 22;
const FRAME_PX = 80;

export class SplitChart {
  /** `box` is the canvas's container, whose height follows the number of cities. */
  constructor(canvas, box) {
    this.mode = 'counts';
    this.box = box;
    this.chart = new window.Chart(canvas, {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: {
        indexAxis: 'y',
        responsive: true,
        maintainAspectRatio: false,
        // Drawn at once: new data replaces the old without a transition, also when the window is resized.
        animation: false,
        scales: {
          y: { stacked: true, ticks: { autoSkip: false } },
          x: { stacked: true, beginAtZero: true, ticks: { callback: (value) => this.formatValue(value), maxRotation: 0 } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 10, boxHeight: 10 } },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label} : ${this.formatValue(item.parsed.x)}` } },
        },
      },
    });
  }

  formatValue(value) {
    return this.mode === 'percentages' ? formatPercent(value) : formatInteger(value);
  }

  /** `repartition` as the API gives it (counts, or percentages with `mode` 'percentages'). */
  show(repartition, mode) {
    this.mode = mode;
    const villes = Object.keys(repartition);
    this.box.style.height = `${Math.max(160, villes.length * ROW_PX + FRAME_PX)}px`;
    this.chart.data.labels = villes;
    this.chart.data.datasets = [
      { label: 'Ventes (sales)', data: villes.map((v) => repartition[v].vente), backgroundColor: VENTE_COLOUR, maxBarThickness: 24 },
      { label: 'Locations (rentals)', data: villes.map((v) => repartition[v].location), backgroundColor: LOCATION_COLOUR, maxBarThickness: 24 },
    ];
    this.chart.options.scales.x.max = mode === 'percentages' ? 100 : undefined;
    this.chart.resize();
    this.chart.update();
  }
}
