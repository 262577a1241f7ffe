// The strict exposition reader the metrics tests rely on: it must refuse what Prometheus would refuse.
import { describe, expect, it } from '@jest/globals';
import { parsePrometheusText, sampleValue } from '../src/prometheus-text.js';

const VALID = [
  '# HELP runs_total Runs.',
  '# TYPE runs_total counter',
  'runs_total{status="completed"} 2',
  'runs_total{status="fa\\"iled"} 1e0',
  '',
  '# TYPE d_seconds histogram',
  'd_seconds_bucket{le="1"} 1',
  'd_seconds_bucket{le="+Inf"} 2',
  'd_seconds_sum 3.5',
  'd_seconds_count 2',
  '',
].join('\n');

describe('parsePrometheusText', () => {
  it('reads families, labels (with escapes) and values', () => {
    const exposition = parsePrometheusText(VALID);
    expect(exposition.types.get('runs_total')).toBe('counter');
    expect(sampleValue(exposition, 'runs_total', { status: 'completed' })).toBe(2);
    expect(sampleValue(exposition, 'runs_total', { status: 'fa"iled' })).toBe(1);
    expect(sampleValue(exposition, 'd_seconds_count')).toBe(2);
  });

  it.each([
    ['a sample of an undeclared family', 'other_total 1\n'],
    ['a value that is not a number', '# TYPE x gauge\nx one\n'],
    ['an unquoted label value', '# TYPE x gauge\nx{a=b} 1\n'],
    ['a missing final line feed', '# TYPE x gauge\nx 1'],
    ['a comment that is neither HELP nor TYPE', '# TYPE x gauge\n# note\nx 1\n'],
    ['buckets that decrease', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_count 1\n'],
    ['a +Inf bucket unlike the count', '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_count 3\n'],
  ])('refuses %s', (_what, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
