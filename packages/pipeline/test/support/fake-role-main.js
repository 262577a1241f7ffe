// A role's main for the runtime's tests: runRole over a role that connects to nothing. Its start takes
// FAKE_START_MS and fails with FAKE_START_ERROR when set; once up, it throws FAKE_UNCAUGHT outside any handler
// when set; its close takes FAKE_CLOSE_MS. It writes `starting` and `closed` where a real role would be busy.
import { setTimeout as delay } from 'node:timers/promises';
import { runRole } from '@autoconnect/pipeline';

const env = process.env;

await runRole('fake', async () => {
  process.stdout.write('starting\n');
  await delay(Number(env.FAKE_START_MS ?? 0));
  if (env.FAKE_START_ERROR) throw new Error(env.FAKE_START_ERROR);
  // What a real role's open connections do: keep the process alive until it is closed.
  const keepAlive = setInterval(() => undefined, 60_000);
  if (env.FAKE_UNCAUGHT) {
    setImmediate(() => {
      throw new Error(env.FAKE_UNCAUGHT);
    });
  }
  return {
    async close() {
      await delay(Number(env.FAKE_CLOSE_MS ?? 0));
      clearInterval(keepAlive);
      process.stdout.write('closed\n');
    },
  };
});
