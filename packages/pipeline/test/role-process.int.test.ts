// The runtime every role's main goes through (runRole), run as a real process over a role that connects to
// nothing: a bad variable, a failed start, signals, a close that outlasts SHUTDOWN_TIMEOUT_MS, an uncaught error.
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { SpawnedProcess } from '@autoconnect/testkit';

const FAKE_ROLE_MAIN = fileURLToPath(new URL('./support/fake-role-main.js', import.meta.url));

interface LogLine {
  level: number;
  msg: string;
  role?: string;
  signal?: string;
  err?: { message: string; stack?: string };
}

/** The fake role as its own process, with everything it writes on stdout and stderr kept whole. */
class FakeRole extends SpawnedProcess {
  stdout = '';
  stderr = '';

  constructor(env: Record<string, string>) {
    super('fake', ['node', FAKE_ROLE_MAIN], {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    });
    this.child.stdout?.on('data', (text: string) => (this.stdout += text));
    this.child.stderr?.on('data', (text: string) => (this.stderr += text));
  }

  /** Resolves once stdout holds `text`; rejects if the process exits first. */
  written(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!this.stdout.includes(text)) return;
        stop();
        resolve();
      };
      const onExit = (): void => {
        stop();
        reject(new Error(`exited before writing ${JSON.stringify(text)}:\n${this.output()}`));
      };
      const stop = (): void => {
        this.child.stdout?.off('data', check);
        this.child.off('exit', onExit);
      };
      this.child.stdout?.on('data', check);
      this.child.once('exit', onExit);
      check();
    });
  }

  logs(): LogLine[] {
    return this.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  }

  lines(): string[] {
    return this.stdout.split('\n').filter((line) => line !== '' && !line.startsWith('{'));
  }
}

describe('runRole', () => {
  it('stops at a bad variable with one message naming it on stderr, exit code 1, before starting the role', async () => {
    const role = new FakeRole({ SHUTDOWN_TIMEOUT_MS: 'soon' });
    expect(await role.exited).toEqual({ code: 1, signal: null });
    expect(role.stdout).toBe('');
    expect(role.stderr).toBe('Invalid configuration:\n  - SHUTDOWN_TIMEOUT_MS="soon": expected an integer >= 100 and <= 600000\n');
  });

  it('says in one line, without a stack trace, that the role could not start, and exits 1', async () => {
    const role = new FakeRole({ FAKE_START_ERROR: 'port 5000 is taken' });
    expect(await role.exited).toEqual({ code: 1, signal: null });
    const logs = role.logs();
    expect(logs).toEqual([expect.objectContaining({ level: 60, role: 'fake', msg: 'fake could not start: port 5000 is taken' })]);
    expect(role.stdout).not.toContain('    at ');
    expect(role.stderr).toBe('');
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('closes the role on %s and exits 0', async (signal) => {
    const role = new FakeRole({ FAKE_CLOSE_MS: '200' });
    await role.written('"msg":"fake started"');
    expect(await role.stop(signal, 10_000)).toEqual({ code: 0, signal: null });
    expect(role.lines()).toEqual(['starting', 'closed']);
    expect(role.logs().map(({ msg, signal: received }) => [msg, received])).toEqual([
      ['fake started', undefined],
      ['shutting down', signal],
      ['shut down cleanly', undefined],
    ]);
  });

  it('lets a role that is still starting finish its start, then closes it', async () => {
    const role = new FakeRole({ FAKE_START_MS: '500' });
    await role.written('starting');
    expect(await role.stop('SIGTERM', 10_000)).toEqual({ code: 0, signal: null });
    expect(role.lines()).toEqual(['starting', 'closed']);
  });

  it('exits 1 when closing takes longer than SHUTDOWN_TIMEOUT_MS, saying so', async () => {
    const role = new FakeRole({ FAKE_CLOSE_MS: '30000', SHUTDOWN_TIMEOUT_MS: '300' });
    await role.written('"msg":"fake started"');
    expect(await role.stop('SIGTERM', 10_000)).toEqual({ code: 1, signal: null });
    expect(role.lines()).toEqual(['starting']);
    expect(role.logs().at(-1)).toMatchObject({ level: 50, msg: 'shutdown timed out: exiting with work unfinished' });
  });

  it('exits 1 at once on a second signal while closing', async () => {
    const role = new FakeRole({ FAKE_CLOSE_MS: '30000', SHUTDOWN_TIMEOUT_MS: '60000' });
    await role.written('"msg":"fake started"');
    const closing = role.written('"msg":"shutting down"');
    role.child.kill('SIGTERM');
    await closing;
    expect(await role.stop('SIGINT', 10_000)).toEqual({ code: 1, signal: null });
    expect(role.lines()).toEqual(['starting']);
    expect(role.logs().at(-1)).toMatchObject({ level: 40, msg: 'second signal: exiting now', signal: 'SIGINT' });
  });

  it('logs an uncaught error with its stack, closes the role and exits 1', async () => {
    const role = new FakeRole({ FAKE_UNCAUGHT: 'a bug outside any handler' });
    expect(await role.exited).toEqual({ code: 1, signal: null });
    expect(role.lines()).toEqual(['starting', 'closed']);
    const error = role.logs().find(({ level }) => level === 50);
    expect(error).toMatchObject({ msg: 'uncaught error: shutting down', err: { message: 'a bug outside any handler' } });
    expect(error?.err?.stack).toContain('fake-role-main.js');
  });
});
