// Confines a POST /api/process source to DATA_DIR before a run is accepted, by the rule the orchestrator and the
// workers apply again when they open the file (@autoconnect/data-folder): a relative .csv name without '..'
// whose real path (every link followed, dangling ones included) is a regular file inside the real DATA_DIR.
// A path that leads outside is refused the same way whether or not anything exists where it leads.
import { confineSource, SourceMissingError, SourceRefusedError } from '@autoconnect/data-folder';
import { InvalidSourceError } from '../errors/invalid-source-error.js';
import { SourceNotFoundError } from '../errors/source-not-found-error.js';

/**
 * Resolves a source against DATA_DIR; returns its name normalised (`./a.csv` → `a.csv`). Throws
 * InvalidSourceError (400) for a bad name or a path leading outside DATA_DIR, SourceNotFoundError (404) when no
 * such file exists. Whether the file can be read and parsed is the run's business: it is accepted here and its
 * run fails.
 */
export async function resolveSource(dataDir: string, source: string): Promise<string> {
  try {
    return (await confineSource(dataDir, source)).name;
  } catch (err) {
    if (err instanceof SourceRefusedError) throw new InvalidSourceError(source, err.why);
    if (err instanceof SourceMissingError) throw new SourceNotFoundError(source);
    throw err;
  }
}
