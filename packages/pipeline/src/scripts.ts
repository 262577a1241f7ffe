// The pipeline's Lua scripts: every step that must be atomic to stay exact under at-least-once delivery
// (a job may run twice: retry, stalled worker) is one script, so a repeated step never counts twice. They are
// ioredis commands (defineCommand: EVALSHA, the script sent again to a Redis that forgot it), defined on each
// connection by `scripted` and called only by the stores of this package, which build their KEYS.
import type { Redis } from 'ioredis';
import { ACTIVE_STATUSES, FINAL_STATUSES, type RunStatus } from './run-report.js';

/** A status as a Lua string literal (statuses are plain words). */
const luaString = (status: RunStatus): string => `'${status}'`;

/** Whether a status is final, from the one list of statuses. */
const TERMINAL = `local function terminal(st) return ${FINAL_STATUSES.map((status) => `st == ${luaString(status)}`).join(' or ')} end`;

/** The statuses of a run under way, by their rank in the order a run moves through them. */
const ACTIVE_ORDER = `{ ${ACTIVE_STATUSES.map((status, i) => `${status} = ${i + 1}`).join(', ')} }`;

/** Redis's own clock in ms: every deadline is set and checked against it, whichever process's clock is off. */
const NOW_MS = `local function nowMs() local t = redis.call('TIME') return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) end`;

/**
 * Takes the active-run slot, creates the run's report and sets its deadline, or returns the id of the run that
 * holds the slot. A slot held by a run that already ended (its last stage died before freeing it) is taken over.
 * KEYS: activeRun, report, runs, runDeadlines. ARGV: runId, source, createdAtIso, createdMs, reportPrefix, keepRuns,
 * timeoutMs. Returns '' when started, else the active run's id.
 */
const startRun = {
  numberOfKeys: 4,
  lua: `${TERMINAL}
${NOW_MS}
local active = redis.call('GET', KEYS[1])
if active then
  local st = redis.call('HGET', ARGV[5] .. active, 'status')
  if st and not terminal(st) then return active end
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'job_id', ARGV[1], 'status', ${luaString('queued')}, 'source', ARGV[2], 'created_at', ARGV[3],
  'created_ms', ARGV[4], 'bytes_total', 0, 'bytes_read', 0, 'chunks_total', 0, 'chunks_done', 0,
  'rows_valid', 0, 'rows_rejected', 0, 'timeout_ms', ARGV[7])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
redis.call('ZADD', KEYS[4], nowMs() + tonumber(ARGV[7]), ARGV[1])
local excess = redis.call('ZCARD', KEYS[3]) - tonumber(ARGV[6])
if excess > 0 then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[3], 0, excess - 1)) do
    local st = redis.call('HGET', ARGV[5] .. id, 'status')
    if not st or terminal(st) then
      redis.call('DEL', ARGV[5] .. id)
      redis.call('ZREM', KEYS[3], id)
      redis.call('ZREM', KEYS[4], id)
    end
  end
end
return ''`,
};

/**
 * Moves a run that has not ended to a new status and sets report fields. A status never goes back
 * (a restarted split does not turn 'reducing' into 'splitting'): ARGV[1] = '' sets fields only.
 * KEYS: report. ARGV: status or '', then field/value pairs. Returns 1 when applied, 0 when the run ended.
 */
const updateRun = {
  numberOfKeys: 1,
  lua: `${TERMINAL}
local st = redis.call('HGET', KEYS[1], 'status')
if not st or terminal(st) then return 0 end
local order = ${ACTIVE_ORDER}
if ARGV[1] ~= '' and order[ARGV[1]] and order[ARGV[1]] > order[st] then
  redis.call('HSET', KEYS[1], 'status', ARGV[1])
end
if #ARGV > 1 then redis.call('HSET', KEYS[1], unpack(ARGV, 2)) end
return 1`,
};

/**
 * Records a run's plan in its report once: the file's size, the header's bytes as already read, the number of
 * ranges, and the status `mapping`. A split that runs again (its process died) finds the run planned and
 * changes nothing, so progress already counted is kept.
 * KEYS: report. ARGV: bytesTotal, headerBytes, ranges. Returns 1 recorded, 0 already planned, -1 the run has ended.
 */
const planRun = {
  numberOfKeys: 1,
  lua: `${TERMINAL}
local st = redis.call('HGET', KEYS[1], 'status')
if not st or terminal(st) then return -1 end
if redis.call('HEXISTS', KEYS[1], 'planned') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'planned', 1, 'status', ${luaString('mapping')}, 'bytes_total', ARGV[1], 'bytes_read', ARGV[2], 'chunks_total', ARGV[3])
return 1`,
};

/**
 * Stores a range's mapped outcome, replacing one of an earlier generation (the reduce maps a range again
 * when its first reading started at the wrong record or in the wrong encoding), never one of a later
 * generation. The partials arrive beforehand under an incoming key (plain HSETs) and are renamed into place.
 * The first outcome of a range counts it in the report's progress; later ones count nothing, so a job delivered
 * twice counts once.
 * KEYS: report, ranges, rangeGenerations, range, incomingRange.
 * ARGV: range, generation, metaJson, cityCount, rangeBytes, rowsValid, rowsRejected, then reason/count pairs.
 * Returns 1 stored, 0 an outcome of the same or a later generation is stored already, -1 the run has ended.
 */
const commitRange = {
  numberOfKeys: 5,
  lua: `${TERMINAL}
local st = redis.call('HGET', KEYS[1], 'status')
if not st or terminal(st) then
  redis.call('DEL', KEYS[5])
  return -1
end
local previous = redis.call('HGET', KEYS[3], ARGV[1])
if previous and tonumber(previous) > tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[5])
  return 0
end
if tonumber(ARGV[4]) > 0 then
  -- Gone: a twin delivery of this very job renamed the same partials into place.
  if redis.call('EXISTS', KEYS[5]) == 0 then return 0 end
  redis.call('RENAME', KEYS[5], KEYS[4])
  redis.call('PERSIST', KEYS[4])
else
  redis.call('DEL', KEYS[4])
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
if not previous then
  redis.call('HINCRBY', KEYS[1], 'chunks_done', 1)
  redis.call('HINCRBY', KEYS[1], 'bytes_read', ARGV[5])
  redis.call('HINCRBY', KEYS[1], 'rows_valid', ARGV[6])
  redis.call('HINCRBY', KEYS[1], 'rows_rejected', ARGV[7])
  for i = 8, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], 'rej:' .. ARGV[i], ARGV[i + 1]) end
end
return 1`,
};

/**
 * Ends a run that has not ended as `failed` (with its error) or `cancelled`, frees the active-run slot and drops
 * its deadline; `rej:` fields given replace every rejected count of the report.
 * Its scratch keys are scanned away by the caller: once the status is final no job writes any more.
 * KEYS: report, activeRun, runDeadlines. ARGV: runId, status, error, finishedAtIso, nowMs, then field/value pairs.
 * Returns 1 when this call ended the run, 0 when it had already ended.
 */
const endRun = {
  numberOfKeys: 3,
  lua: `${TERMINAL}
redis.call('ZREM', KEYS[3], ARGV[1])
local st = redis.call('HGET', KEYS[1], 'status')
if not st or terminal(st) then return 0 end
local created = tonumber(redis.call('HGET', KEYS[1], 'created_ms')) or tonumber(ARGV[5])
-- The stage it ended in keeps its progress: percent never goes back.
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'ended_from', st, 'finished_at', ARGV[4], 'duration_ms', math.max(0, tonumber(ARGV[5]) - created))
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'error', ARGV[3]) end
if #ARGV > 5 then
  -- Final rejected counts replace the progress ones whole.
  local final = false
  for i = 6, #ARGV, 2 do if string.sub(ARGV[i], 1, 4) == 'rej:' then final = true end end
  if final then
    for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
      if string.sub(field, 1, 4) == 'rej:' then redis.call('HDEL', KEYS[1], field) end
    end
  end
  redis.call('HSET', KEYS[1], unpack(ARGV, 6))
end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1`,
};

/**
 * The runs whose deadline has passed by Redis's clock and that have not ended, at most ARGV[2] of them, with what
 * their message needs; ended or vanished runs found there are dropped from the set on the way.
 * KEYS: runDeadlines. ARGV: reportPrefix, limit. Returns a flat list: runId, status, timeoutMs, chunksDone,
 * chunksTotal for each.
 */
const overdueRuns = {
  numberOfKeys: 1,
  lua: `${TERMINAL}
${NOW_MS}
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', nowMs(), 'LIMIT', 0, tonumber(ARGV[2]))
local overdue = {}
for _, id in ipairs(due) do
  local f = redis.call('HMGET', ARGV[1] .. id, 'status', 'timeout_ms', 'chunks_done', 'chunks_total')
  if not f[1] or terminal(f[1]) then
    redis.call('ZREM', KEYS[1], id)
  else
    for _, value in ipairs({ id, f[1], f[2] or '', f[3] or '0', f[4] or '0' }) do table.insert(overdue, value) end
  end
end
return overdue`,
};

/**
 * Publishes a run's results atomically: the results, the `current` pointer, the index of kept results
 * (older ones beyond the limit deleted), the report's final fields (the rejected counts replaced whole), the
 * freed active-run slot, the dropped deadline and the deleted plan and range outcomes, then announces the run on the results
 * channel. A run that already ended is left alone (a repeated aggregate job publishes once; a failed run
 * publishes nothing). Without a report (results seeded directly) only the results are published. The ranges'
 * partials are scanned away by the caller.
 * KEYS: report, activeRun, current, resultsIndex, results, plan, ranges, rangeGenerations, runDeadlines,
 * incomingResults.
 * ARGV: runId, publishedJson (empty: the text was appended to incomingResults, renamed into place), nowMs,
 * finishedAtIso, keepResults, resultsKeyPrefix, channel, then report field/value pairs. Returns 1 when
 * published, 0 when the run had already ended.
 */
const publishResults = {
  numberOfKeys: 10,
  lua: `${TERMINAL}
local st = redis.call('HGET', KEYS[1], 'status')
if st and terminal(st) then return 0 end
if ARGV[2] == '' then redis.call('RENAME', KEYS[10], KEYS[5]) else redis.call('SET', KEYS[5], ARGV[2]) end
redis.call('SET', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
for _, id in ipairs(redis.call('ZRANGE', KEYS[4], 0, -(tonumber(ARGV[5]) + 1))) do
  if id ~= ARGV[1] then
    redis.call('DEL', ARGV[6] .. id)
    redis.call('ZREM', KEYS[4], id)
  end
end
if st then
  local created = tonumber(redis.call('HGET', KEYS[1], 'created_ms')) or tonumber(ARGV[3])
  for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
    if string.sub(field, 1, 4) == 'rej:' then redis.call('HDEL', KEYS[1], field) end
  end
  redis.call('HSET', KEYS[1], 'status', ${luaString('completed')}, 'finished_at', ARGV[4], 'duration_ms', tonumber(ARGV[3]) - created)
  if #ARGV > 7 then redis.call('HSET', KEYS[1], unpack(ARGV, 8)) end
end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
redis.call('ZREM', KEYS[9], ARGV[1])
redis.call('DEL', KEYS[6], KEYS[7], KEYS[8])
redis.call('PUBLISH', ARGV[7], ARGV[1])
return 1`,
};

/** Reads the published results in one step, so the pointer and the results it names always match.
 * KEYS: current. ARGV: resultsKeyPrefix. */
const currentResults = {
  numberOfKeys: 1,
  lua: `local id = redis.call('GET', KEYS[1])
if not id then return false end
return redis.call('GET', ARGV[1] .. id)`,
};

/** The id of the active run, ignoring a slot left by a run that already ended. KEYS: activeRun. ARGV: reportPrefix. */
const activeRun = {
  numberOfKeys: 1,
  lua: `${TERMINAL}
local id = redis.call('GET', KEYS[1])
if not id then return false end
local st = redis.call('HGET', ARGV[1] .. id, 'status')
if not st or terminal(st) then return false end
return id`,
};

/** What each script answers. */
interface ScriptReplies {
  startRun: string;
  updateRun: number;
  planRun: number;
  commitRange: number;
  endRun: number;
  overdueRuns: string[];
  publishResults: number;
  currentResults: string | null;
  activeRun: string | null;
}

const SCRIPTS: Record<keyof ScriptReplies, { numberOfKeys: number; lua: string }> = {
  startRun,
  updateRun,
  planRun,
  commitRange,
  endRun,
  overdueRuns,
  publishResults,
  currentResults,
  activeRun,
};

export type ScriptArg = string | number | Buffer;

/** The scripts as commands of a connection: the script's KEYS first (as many as it documents), then its ARGV. */
export type PipelineScripts = { [Name in keyof ScriptReplies]: (...keysThenArgs: ScriptArg[]) => Promise<ScriptReplies[Name]> };

export type ScriptedRedis = Redis & PipelineScripts;

const defined = new WeakSet<Redis>();

/** `redis` with the pipeline's scripts defined on it as commands (once per connection). */
export function scripted(redis: Redis): ScriptedRedis {
  if (!defined.has(redis)) {
    for (const [name, definition] of Object.entries(SCRIPTS)) {
      // BullMQ defines its own scripts on the connections it shares: a name of ours must never shadow one.
      if (name in redis) throw new Error(`the connection already has a command named ${name}`);
      redis.defineCommand(name, definition);
    }
    defined.add(redis);
  }
  return redis as ScriptedRedis;
}
