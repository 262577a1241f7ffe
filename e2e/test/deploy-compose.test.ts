// docker-compose.yml checked without a Docker engine: every service runs a real entry file, with variables
// the config schema knows and accepts, and the topology the deployment promises (Redis persistence, health,
// scaling of workers, graceful stops).
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { configKeys, loadConfig } from '@autoconnect/config';
import {
  commandArgs,
  durationMs,
  envFiles,
  loadComposeFile,
  serviceEnvironment,
  type ComposeService,
} from '../src/compose-file.js';
import { repoPath } from '../src/repo-paths.js';

const compose = loadComposeFile();
const roles = ['api', 'orchestrator', 'worker', 'aggregator'] as const;

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** The module `pnpm start` and `pnpm start:<role>` preload to read an optional .env, as compose does. */
const LOAD_ENV = './scripts/load-env.js';

/**
 * What the root `start:<role>` script runs, as a command from the repository root: either `node <file>`
 * itself (after preloading the .env reader, which the containers do not need: compose passes .env), or
 * `pnpm --filter <package> run start` and that package's own `node <file>`.
 */
function startScriptCommand(role: string): string[] {
  const root = readJson<{ scripts: Record<string, string> }>(repoPath('package.json'));
  const script = root.scripts[`start:${role}`] ?? '';
  const delegated = /^pnpm --filter (\S+) run start$/.exec(script);
  if (!delegated) return script.replace(`--import ${LOAD_ENV} `, '').split(/\s+/);
  const pkg = readJson<{ name: string; scripts: Record<string, string> }>(repoPath('apps', role, 'package.json'));
  expect(pkg.name).toBe(delegated[1]);
  const [program, entry, ...rest] = pkg.scripts.start.split(/\s+/);
  return [program, `apps/${role}/${entry}`, ...rest];
}

/** `host:container[:mode]` volume entries as parts. */
function mounts(s: ComposeService): Array<{ source: string; target: string; mode: string }> {
  return (s.volumes ?? []).map((entry) => {
    const [source, target, mode = 'rw'] = entry.split(':');
    return { source, target, mode };
  });
}

describe('docker-compose.yml', () => {
  it('runs Redis and the four roles', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['aggregator', 'api', 'orchestrator', 'redis', 'worker']);
  });

  describe('redis', () => {
    const redis = service('redis');
    const args = commandArgs(redis);
    const option = (name: string) => args[args.indexOf(`--${name}`) + 1];

    it('is Redis 7', () => {
      expect(redis.image).toMatch(/^redis:7(\.\d+)*(-[a-z0-9.]+)?$/);
    });

    it('appends every write, fsynced each second, and never evicts a key', () => {
      expect(args[0]).toBe('redis-server');
      expect(option('appendonly')).toBe('yes');
      expect(option('appendfsync')).toBe('everysec');
      expect(option('maxmemory-policy')).toBe('noeviction');
    });

    it('keeps its data directory on a named volume', () => {
      const data = mounts(redis).find((m) => m.target === '/data');
      expect(data).toBeDefined();
      expect(Object.keys(compose.volumes ?? {})).toContain(data?.source);
    });

    it('reports healthy only when it answers PING', () => {
      expect(redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    });
  });

  describe.each(roles)('%s', (role) => {
    const s = service(role);
    const env = serviceEnvironment(s);
    const config = loadConfig(env);

    it('runs the entry file that `pnpm start:<role>` runs (which reads .env first), present after the build', () => {
      const root = readJson<{ scripts: Record<string, string> }>(repoPath('package.json'));
      expect(root.scripts[`start:${role}`]).toMatch(new RegExp(`^node --import ${LOAD_ENV.replace(/\./g, '\\.')} `));
      expect(existsSync(repoPath(LOAD_ENV))).toBe(true);
      const args = commandArgs(s);
      expect(args).toEqual(['node', `apps/${role}/dist/main.js`]);
      expect(startScriptCommand(role)).toEqual(args);
      expect(existsSync(repoPath('apps', role, 'src', 'main.ts'))).toBe(true);
      expect(existsSync(repoPath(args[1]))).toBe(true);
    });

    it('sets only variables of the config schema, and values it accepts', () => {
      for (const key of Object.keys(s.environment ?? {})) expect(configKeys).toContain(key);
      for (const key of Object.keys(env)) expect(configKeys).toContain(key);
      expect(() => loadConfig(env)).not.toThrow();
    });

    it('reads .env.example, then an optional .env', () => {
      expect(envFiles(s)).toEqual([
        { path: './.env.example', required: true },
        { path: './.env', required: false },
      ]);
    });

    it('talks to the redis service, once it is healthy', () => {
      expect(config.REDIS_URL).toBe('redis://redis:6379');
      expect(s.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
    });

    it('runs under an init process, restarts, and gets longer to stop than SHUTDOWN_TIMEOUT_MS', () => {
      expect(s.init).toBe(true);
      expect(s.restart).toMatch(/^(always|unless-stopped|on-failure(:\d+)?)$/);
      expect(s.stop_grace_period).toBeDefined();
      expect(durationMs(s.stop_grace_period ?? '0s')).toBeGreaterThan(config.SHUTDOWN_TIMEOUT_MS);
    });

    it('is built from the repository Dockerfile into the one shared image', () => {
      expect(s.build).toBe('.');
      expect(existsSync(repoPath('Dockerfile'))).toBe(true);
      expect(s.image).toBe(service('api').image);
    });

    it('has no fixed container name, so it can be scaled', () => {
      expect(s.container_name).toBeUndefined();
    });
  });

  describe('api', () => {
    const api = service('api');
    const config = loadConfig(serviceEnvironment(api));

    it('publishes the port the API listens on, 5000', () => {
      expect(config.PORT).toBe(5000);
      expect(config.HOST).toBe('0.0.0.0');
      expect(api.ports).toEqual([`5000:${config.PORT}`]);
    });

    it('is healthy when /ready answers, on the port it listens on', () => {
      const test = api.healthcheck?.test;
      expect(Array.isArray(test) && test[0]).toBe('CMD');
      expect(JSON.stringify(test)).toContain(`http://127.0.0.1:${config.PORT}/ready`);
    });

    it('processes DATA_FILE at the first start', () => {
      expect(config.PROCESS_ON_START).toBe(true);
    });
  });

  it('gives only the API write access to data/ at DATA_DIR (uploads), and the roles that read files read-only', () => {
    expect(existsSync(repoPath('data'))).toBe(true);
    const dataMount = (role: string) => {
      const s = service(role);
      const config = loadConfig(serviceEnvironment(s));
      return mounts(s).filter((m) => m.source === './data').map((m) => ({ ...m, atDataDir: m.target === config.DATA_DIR }));
    };
    expect(dataMount('api')).toEqual([{ source: './data', target: '/app/data', mode: 'rw', atDataDir: true }]);
    expect(dataMount('orchestrator')).toEqual([{ source: './data', target: '/app/data', mode: 'ro', atDataDir: true }]);
    expect(dataMount('worker')).toEqual([{ source: './data', target: '/app/data', mode: 'ro', atDataDir: true }]);
    expect(dataMount('aggregator')).toEqual([]);
  });

  describe('worker', () => {
    const worker = service('worker');

    it('starts 3 replicas by default and publishes no port', () => {
      expect(worker.deploy?.replicas).toBe(3);
      expect(worker.ports).toBeUndefined();
    });
  });

  it('mounts nothing into the aggregator, which only talks to Redis', () => {
    expect(service('aggregator').volumes).toBeUndefined();
  });
});
