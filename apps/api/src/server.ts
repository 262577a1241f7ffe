// Runs the API: listens, kicks off a first run when asked to (PROCESS_ON_START), and closes cleanly.
import type { Config, Logger } from '@autoconnect/config';
import { RunConflictError } from '@autoconnect/pipeline';
import { removeStaleUploads } from './files/data-files.js';
import { buildApp, type App } from './app.js';
import { resolveSource } from './source/resolve-source.js';

export interface RunningServer {
  app: App;
  /** Stops accepting connections, lets in-flight requests finish, then closes queues and Redis. */
  close(): Promise<void>;
}

/** PROCESS_ON_START: a run on DATA_FILE when nothing is published and nothing runs. Never fatal. */
async function processOnStart(app: App, config: Config, logger: Logger): Promise<void> {
  try {
    const [publishedRunId, activeRunId] = await Promise.all([app.pipeline.currentRunId(), app.pipeline.activeRunId()]);
    if (publishedRunId !== null || activeRunId !== null) {
      logger.info({ publishedRunId, activeRunId }, 'PROCESS_ON_START: results exist or a run is active; nothing to start');
      return;
    }
    const source = await resolveSource(config.DATA_DIR, config.DATA_FILE);
    const run = await app.pipeline.startRun({ source });
    logger.info({ runId: run.job_id, source }, 'PROCESS_ON_START: run started');
  } catch (err) {
    // Another API instance may have started it a moment earlier: that is the run we wanted.
    if (err instanceof RunConflictError) logger.info({ runId: err.activeRunId }, 'PROCESS_ON_START: a run is already active');
    else logger.error({ err }, 'PROCESS_ON_START: could not start a run');
  }
}

export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const app = await buildApp({ config, logger });
  // Uploads a killed API left half-written (hidden, never listed nor run) would otherwise stay forever.
  const stale = await removeStaleUploads(config.DATA_DIR);
  if (stale.length > 0) logger.info({ files: stale }, 'removed the temporary files of uploads left unfinished');
  await app.listen({ port: config.PORT, host: config.HOST });
  if (config.PROCESS_ON_START) await processOnStart(app, config, logger);
  let closing: Promise<void> | null = null;
  return {
    app,
    close: () => (closing ??= app.close()),
  };
}
