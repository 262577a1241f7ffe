// Sales (ventes) vs rentals (locations) per city as a stacked bar chart, in counts or in percentages.
import { formatInteger, formatPercent } from './format.js';
import { LOCATION_COLOUR, VENTE_COLOUR } from './palette.js';

export class SplitChart {
  constructor(canvas) {
    this.mode = 'counts';
    this.chart = new window.Chart(canvas, {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        // Drawn at once: new data replaces the old without a transition, also when the window is resized.
        animation: false,
        scales: {
          x: { stacked: true, ticks: { autoSkip: false, maxRotation: 60 } },
          y: { stacked: true, beginAtZero: true, ticks: { callback: (value) => this.formatValue(value) } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 10, boxHeight: 10 } },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label} : ${this.formatValue(item.parsed.y)}` } },
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
    this.chart.data.labels = villes;
    this.chart.data.datasets = [
      { label: 'Ventes (sales)', data: villes.map((v) => repartition[v].vente), backgroundColor: VENTE_COLOUR, maxBarThickness: 48 },
      { label: 'Locations (rentals)', data: villes.map((v) => repartition[v].location), backgroundColor: LOCATION_COLOUR, maxBarThickness: 48 },
    ];
    this.chart.options.scales.y.max = mode === 'percentages' ? 100 : undefined;
    this.chart.update();
  }
}
