export { HttpMetrics, UNMATCHED_ROUTE } from './http-metrics.js';
export { QueueMetrics, JOB_STATES } from './queue-metrics.js';
export { RunMetrics, type RunMetricsOptions, type RunReportSource } from './run-metrics.js';
