// Child process entry: `node dist/method-process.js <method> <file>` times one method on one file and sends
// a MethodOutcome to its parent. A process each, so one method's heap and JIT state never help the next.
import { isSingleProcessMethod, SINGLE_PROCESS_METHODS, type MethodOutcome } from './single-process-methods.js';

const [name, path] = process.argv.slice(2);
if (name === undefined || path === undefined || !isSingleProcessMethod(name) || process.send === undefined) {
  process.stderr.write(`usage (over IPC): method-process.js <${Object.keys(SINGLE_PROCESS_METHODS).join('|')}> <file>\n`);
  process.exit(2);
}
const started = performance.now();
const cpuAtStart = process.cpuUsage();
const metrics = await SINGLE_PROCESS_METHODS[name](path);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuAtStart);
const outcome: MethodOutcome = { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssBytes: process.resourceUsage().maxRSS * 1024, metrics };
process.send(outcome, undefined, undefined, () => process.disconnect());
