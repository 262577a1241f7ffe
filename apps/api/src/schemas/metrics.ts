// The answer of GET /metrics.
import { Type } from 'typebox';

export const MetricsResponseSchema = Type.String({ description: 'Metrics in the Prometheus text format.' });

/** Lines of a scrape after the first run of data/transactions.csv. */
export const METRICS_EXAMPLE =
  '# HELP autoconnect_runs_total Runs that ended since the API started, by final status.\n' +
  '# TYPE autoconnect_runs_total counter\n' +
  'autoconnect_runs_total{status="completed"} 1\n' +
  '# HELP autoconnect_rows_processed_total Data rows read (valid and rejected) by the runs counted in autoconnect_runs_total.\n' +
  '# TYPE autoconnect_rows_processed_total counter\n' +
  'autoconnect_rows_processed_total 50000\n';
