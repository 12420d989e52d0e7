import { bareNames, exposedNames, metricNames } from './promql';

describe('PromQL metric names', () => {
  const expr =
    'histogram_quantile(0.99, sum by (le, service) (rate(outbox_relay_batch_size_bucket{service="auth"}[5m]))) > 1e3 and on (service) max(outbox_backlog{}) > bool 0';

  it('reads the selectors of an expression', () => {
    expect(metricNames(expr)).toEqual(['outbox_relay_batch_size_bucket', 'outbox_backlog']);
    expect(bareNames(expr)).toEqual([]);
  });

  it('reports a metric written without braces, which it could not tell from a label', () => {
    expect(bareNames('sum(rate(inbox_events_total[5m])) by (outcome)')).toEqual(['inbox_events_total']);
  });

  it('reads the names an exposition offers, declared or sampled', () => {
    const names = exposedNames(
      [
        '# HELP a_total A.',
        '# TYPE a_total counter',
        '# TYPE h_seconds histogram',
        'h_seconds_bucket{le="1"} 0',
        'process_cpu_seconds_total 1.5',
      ].join('\n'),
    );
    expect([...names].sort()).toEqual(
      [
        'a_total',
        'h_seconds',
        'h_seconds_bucket',
        'h_seconds_count',
        'h_seconds_sum',
        'process_cpu_seconds_total',
      ].sort(),
    );
  });
});
