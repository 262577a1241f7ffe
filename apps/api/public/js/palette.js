// Distinct colours for up to a few dozen cities, stable for a city across charts and reloads.

const COLOURS = [
  '#1f5eff', '#e4572e', '#17a398', '#f3a712', '#8e44ad', '#2e86de', '#c0392b', '#27ae60', '#d35400', '#34495e',
  '#e84393', '#00a8cc', '#6c5ce7', '#a3cb38', '#b33771', '#0a3d62', '#ff7f50', '#218c74', '#9c88ff', '#786fa6',
  '#cc8e35', '#574b90', '#3dc1d3', '#596275',
];

/** The colour of the city at `index` of the full city list. */
export function colourOf(index) {
  return COLOURS[index % COLOURS.length];
}

/** The lines of the all-cities revenue chart, by rank: eight colours nobody mixes up (Tableau 10's). */
export const RANK_COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#9c755f'];
export const OTHERS_COLOUR = '#8a94a6';

export const VENTE_COLOUR = '#1f5eff';
export const LOCATION_COLOUR = '#f3a712';
