// The top models table: a city's ranking when one city is selected, else each city's best model (ranks are
// per city: lists of different cities are never merged into one ranking); paginated.
import { cell, el } from './dom.js';
import { formatEuros, formatInteger } from './format.js';

function modelCells(model) {
  return [
    cell('Model', { className: 'break' }, model.modele),
    cell('Transactions', { className: 'num' }, formatInteger(model.transactions)),
    cell('Ventes', { className: 'num' }, formatInteger(model.ventes)),
    cell('Locations', { className: 'num' }, formatInteger(model.locations)),
    cell('Revenue', { className: 'num' }, formatEuros(model.ca)),
  ];
}

/** `topModeles` as the API gives it; `ville` is the selected city, or '' for all of them. */
export function renderTopModels(table, title, paginator, topModeles, ville) {
  const body = table.tBodies[0];
  const firstColumn = table.querySelector('thead th');
  if (ville) {
    title.textContent = `Top models · ${ville}`;
    firstColumn.textContent = '#';
    const ranked = (topModeles[ville] ?? []).map((model, index) => ({ model, rank: index + 1 }));
    body.replaceChildren(
      ...paginator.slice(ranked).map(({ model, rank }) => el('tr', {}, cell('#', { className: 'num' }, rank), ...modelCells(model))),
    );
  } else {
    title.textContent = 'Best model of each city';
    firstColumn.textContent = 'City';
    const best = Object.entries(topModeles).filter(([, models]) => models.length > 0);
    body.replaceChildren(
      ...paginator.slice(best).map(([city, models]) => el('tr', {}, cell('City', {}, city), ...modelCells(models[0]))),
    );
  }
}
