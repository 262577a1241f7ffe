// What a user would pick instead: DuckDB loads the CSV into a table (default threads) and three GROUP BYs
// compute the metrics. The SQL applies the header by name, strict column types (a bad date or price fails
// the load rather than being a rejected row — hence a clean input file), type case-insensitive, money as
// DECIMAL(15,2) summed exactly; it does not re-implement trimming, NFC, French dates or decimal commas.
import { DuckDBInstance } from '@duckdb/node-api';
import type { ComparedMetrics } from '../compare-results.js';
import { cityTotals, metricsFromTotals, modelTotals, type CityTotals } from './city-totals.js';

const COLUMNS =
  "{'transaction_id': 'VARCHAR', 'date': 'DATE', 'ville': 'VARCHAR', 'type': 'VARCHAR', 'modele': 'VARCHAR', " +
  "'prix': 'DECIMAL(15,2)', 'duree_location_mois': 'INTEGER'}";

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export async function duckdbSql(path: string): Promise<ComparedMetrics> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(
      `CREATE TABLE t AS SELECT ville, lower(type) AS type, modele, date, prix FROM read_csv(${sqlString(path)}, ` +
        `header = true, delim = ',', quote = '"', escape = '"', columns = ${COLUMNS})`,
    );
    const months = await connection.runAndReadAll(
      `SELECT ville, strftime(date, '%Y-%m') AS mois, CAST(sum(prix) * 100 AS BIGINT) AS cents FROM t GROUP BY ALL`,
    );
    const split = await connection.runAndReadAll(
      `SELECT ville, count(*) FILTER (WHERE type = 'vente') AS vente, count(*) FILTER (WHERE type = 'location') AS location ` +
        `FROM t GROUP BY ville`,
    );
    const models = await connection.runAndReadAll(
      `SELECT ville, modele, count(*) AS transactions, count(*) FILTER (WHERE type = 'vente') AS ventes, ` +
        `count(*) FILTER (WHERE type = 'location') AS locations, CAST(sum(prix) * 100 AS BIGINT) AS cents FROM t GROUP BY ALL`,
    );

    const cities = new Map<string, CityTotals>();
    let rowsValid = 0;
    for (const [ville, mois, cents] of months.getRows()) {
      cityTotals(cities, String(ville)).months.set(String(mois), Number(cents));
    }
    for (const [ville, vente, location] of split.getRows()) {
      const city = cityTotals(cities, String(ville));
      city.vente = Number(vente);
      city.location = Number(location);
      rowsValid += city.vente + city.location;
    }
    for (const [ville, modele, transactions, ventes, locations, cents] of models.getRows()) {
      const model = modelTotals(cityTotals(cities, String(ville)), String(modele));
      model.transactions = Number(transactions);
      model.ventes = Number(ventes);
      model.locations = Number(locations);
      model.caCents = Number(cents);
    }
    return metricsFromTotals(cities, rowsValid);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
