// The answer of GET /metrics.
import { Type } from 'typebox';

export const MetricsResponseSchema = Type.String({ description: 'Metrics in the Prometheus text format.' });
