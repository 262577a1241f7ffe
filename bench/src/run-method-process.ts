// Runs one single-process method in a child process and returns what it measured.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MethodOutcome, SingleProcessMethod } from './single-process-methods.js';

const ENTRY = fileURLToPath(new URL('./method-process.js', import.meta.url));

export function runMethodProcess(method: SingleProcessMethod, path: string): Promise<MethodOutcome> {
  return new Promise((resolve, reject) => {
    let outcome: MethodOutcome | undefined;
    const stderr: string[] = [];
    const child = fork(ENTRY, [method, path], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    child.stderr?.setEncoding('utf8').on('data', (text: string) => stderr.push(text));
    child.on('message', (message) => {
      outcome = message as MethodOutcome;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (outcome !== undefined && code === 0) resolve(outcome);
      else reject(new Error(`${method} exited ${code ?? signal} without a result\n${stderr.join('').trim()}`));
    });
  });
}
