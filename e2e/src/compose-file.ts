// docker-compose.yml as data, and the environment each service's containers get from it.
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseEnvFile } from './env-file.js';
import { repoPath } from './repo-paths.js';

export interface ComposeHealthcheck {
  test: string[] | string;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
}

export interface ComposeEnvFile {
  path: string;
  required?: boolean;
}

export interface ComposeService {
  image?: string;
  build?: string | { context: string; dockerfile?: string };
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  env_file?: Array<string | ComposeEnvFile> | string;
  ports?: Array<string | { target: number; published?: string | number }>;
  volumes?: string[];
  healthcheck?: ComposeHealthcheck;
  depends_on?: Record<string, { condition: string }> | string[];
  deploy?: { replicas?: number };
  init?: boolean;
  restart?: string;
  stop_grace_period?: string;
  container_name?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export const composePath = repoPath('docker-compose.yml');

export function loadComposeFile(): ComposeFile {
  // Compose resolves YAML merge keys (`<<: *role`); the yaml package does so only when asked.
  return parse(readFileSync(composePath, 'utf8'), { merge: true }) as ComposeFile;
}

export function envFiles(service: ComposeService): ComposeEnvFile[] {
  const list = service.env_file === undefined ? [] : Array.isArray(service.env_file) ? service.env_file : [service.env_file];
  return list.map((entry) => (typeof entry === 'string' ? { path: entry, required: true } : { required: true, ...entry }));
}

/**
 * The variables a service's containers start with, as Compose builds them: each env_file in order (a later
 * file wins; a missing optional file counts as empty), then `environment`, which wins over every file.
 */
export function serviceEnvironment(service: ComposeService): Record<string, string> {
  const env: Record<string, string> = {};
  for (const file of envFiles(service)) {
    const path = repoPath(file.path);
    if (!existsSync(path)) {
      if (file.required) throw new Error(`required env_file ${file.path} is missing`);
      continue;
    }
    Object.assign(env, parseEnvFile(readFileSync(path, 'utf8')));
  }
  for (const [key, value] of Object.entries(service.environment ?? {})) {
    env[key] = value === null ? '' : String(value);
  }
  return env;
}

/** A command as the argument vector Docker runs (exec form kept, shell form split on blanks). */
export function commandArgs(service: ComposeService): string[] {
  if (service.command === undefined) return [];
  return Array.isArray(service.command) ? service.command : service.command.trim().split(/\s+/);
}

/** Compose durations such as `30s`, `1m30s`, `1500ms`, in milliseconds. */
export function durationMs(text: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) throw new Error(`not a duration: ${text}`);
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * units[unit], 0);
}
