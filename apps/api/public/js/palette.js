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

export const VENTE_COLOUR = '#1f5eff';
export const LOCATION_COLOUR = '#f3a712';
