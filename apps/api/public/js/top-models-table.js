// The top models table: a city's ranking when one city is selected, else each city's best model (ranks are
// per city: lists of different cities are never merged into one ranking).
import { el } from './dom.js';
import { formatEuros, formatInteger } from './format.js';

function modelCells(model) {
  return [
    el('td', {}, model.modele),
    el('td', { className: 'num' }, formatInteger(model.transactions)),
    el('td', { className: 'num' }, formatInteger(model.ventes)),
    el('td', { className: 'num' }, formatInteger(model.locations)),
    el('td', { className: 'num' }, formatEuros(model.ca)),
  ];
}

/** `topModeles` as the API gives it; `ville` is the selected city, or '' for all of them. */
export function renderTopModels(table, title, topModeles, ville) {
  const body = table.tBodies[0];
  const firstColumn = table.querySelector('thead th');
  if (ville) {
    title.textContent = `Top models · ${ville}`;
    firstColumn.textContent = '#';
    const models = topModeles[ville] ?? [];
    body.replaceChildren(...models.map((model, index) => el('tr', {}, el('td', { className: 'num' }, index + 1), ...modelCells(model))));
  } else {
    title.textContent = 'Best model of each city';
    firstColumn.textContent = 'City';
    body.replaceChildren(
      ...Object.entries(topModeles)
        .filter(([, models]) => models.length > 0)
        .map(([city, models]) => el('tr', {}, el('td', {}, city), ...modelCells(models[0]))),
    );
  }
}
