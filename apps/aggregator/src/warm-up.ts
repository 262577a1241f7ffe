// The aggregator's start-up exercise: the reduce's own hot code — ville partials parsed back from their stored
// form, merged, finalised and serialised — run over the core's made-up file before the role takes jobs. A fresh
// process otherwise runs its first reduce in V8's slower tiers, which a role held to a small CPU share pays for
// in seconds.
import { MetricsMerger, serialiseVille, warmUpPartials } from '@autoconnect/core';

export function warmUpReduce(): { villes: number; rowsValid: number } {
  const merger = new MetricsMerger();
  for (const partial of warmUpPartials()) {
    merger.addCounts(partial.rowsValid, partial.rowsRejected, partial.rejectedByReason);
    merger.addSamples(partial.samples);
    for (const ville of Object.keys(partial.villes)) merger.addStoredVille(ville, serialiseVille(partial.villes[ville]));
  }
  const results = merger.finalise();
  JSON.stringify(results);
  return { villes: results.villes.length, rowsValid: results.rows_valid };
}
