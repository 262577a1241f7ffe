// The pipeline's Lua scripts: every step that must be atomic to stay exact under at-least-once delivery
// (a job may run twice: retry, stalled worker) is one script, so a repeated step never counts twice.
import { RedisScript } from './redis-script.js';

const TERMINAL = `local function terminal(st) return st == 'completed' or st == 'failed' end`;

/**
 * Takes the active-run slot and creates the run's report, or returns the id of the run that holds the slot.
 * A slot held by a run that already ended (its last stage died before freeing it) is taken over.
 * KEYS: activeRun, report, runs. ARGV: runId, source, createdAtIso, createdMs, reportPrefix, keepRuns.
 * Returns '' when started, else the active run's id.
 */
export const startRunScript = new RedisScript<string>(
  'startRun',
  `${TERMINAL}
local active = redis.call('GET', KEYS[1])
if active then
  local st = redis.call('HGET', ARGV[5] .. active, 'status')
  if st and not terminal(st) then return active end
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'job_id', ARGV[1], 'status', 'queued', 'source', ARGV[2], 'created_at', ARGV[3],
  'created_ms', ARGV[4], 'bytes_total', 0, 'bytes_read', 0, 'chunks_total', 0, 'chunks_done', 0,
  'rows_valid', 0, 'rows_rejected', 0)
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
local excess = redis.call('ZCARD', KEYS[3]) - tonumber(ARGV[6])
if excess > 0 then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[3], 0, excess - 1)) do
    local st = redis.call('HGET', ARGV[5] .. id, 'status')
    if not st or terminal(st) then
      redis.call('DEL', ARGV[5] .. id)
      redis.call('ZREM', KEYS[3], id)
    end
  end
end
return ''`,
);

/**
 * Moves a run that has not ended to a new status and sets report fields. A status never goes back
 * (a restarted split does not turn 'reducing' into 'splitting'): ARGV[1] = '' sets fields only.
 * KEYS: report. ARGV: status or '', then field/value pairs. Returns 1 when applied, 0 when the run ended.
 */
export const updateRunScript = new RedisScript<number>(
  'updateRun',
  `${TERMINAL}
local st = redis.call('HGET', KEYS[1], 'status')
if not st or terminal(st) then return 0 end
local order = { queued = 1, splitting = 2, mapping = 3, reducing = 4 }
if ARGV[1] ~= '' and order[ARGV[1]] and order[ARGV[1]] > order[st] then
  redis.call('HSET', KEYS[1], 'status', ARGV[1])
end
if #ARGV > 1 then redis.call('HSET', KEYS[1], unpack(ARGV, 2)) end
return 1`,
);

/**
 * Stores a city-chunk unless it is already stored or already mapped (a restarted split replays the same
 * deterministic chunk numbers), and counts its bytes as in flight only when newly stored. The bytes arrive
 * beforehand under an incoming key (a plain SET, see ChunkLink.setBytes) and are renamed into place: passed to
 * the script as an argument instead, megabytes of them were copied in and out of Lua, which cost Redis four
 * times the CPU of the plain SET.
 * KEYS: report, partials, chunk, inflight, incomingChunk. ARGV: chunkNumber.
 * Returns 1 stored, 2 already stored (not mapped yet), 0 already mapped, -1 the run has ended; the incoming
 * key is gone in every case.
 */
export const storeChunkScript = new RedisScript<number>(
  'storeChunk',
  `${TERMINAL}
local st = redis.call('HGET', KEYS[1], 'status')
local outcome = 1
if not st or terminal(st) then outcome = -1
elseif redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then outcome = 0
elseif redis.call('EXISTS', KEYS[3]) == 1 then outcome = 2 end
if outcome ~= 1 then
  redis.call('DEL', KEYS[5])
  return outcome
end
redis.call('RENAME', KEYS[5], KEYS[3])
redis.call('PERSIST', KEYS[3])
redis.call('INCRBY', KEYS[4], redis.call('STRLEN', KEYS[3]))
return 1`,
);

/**
 * The map commit: deletes the chunk and only if this call removed it stores the chunk's partial, releases its
 * bytes and counts the chunk in the report: exactly once per chunk. A chunk already gone was committed by an
 * earlier delivery, or discarded with its split attempt (see discardAttemptScript): either way nothing is written.
 * KEYS: report, partials, chunk, inflight. ARGV: chunkNumber, partialJson, rowsValid, rowsRejected,
 * then reason/count pairs. Returns 1 committed, 0 already committed or discarded, -1 the run has ended.
 */
export const commitChunkScript = new RedisScript<number>(
  'commitChunk',
  `${TERMINAL}
local st = redis.call('HGET', KEYS[1], 'status')
if not st or terminal(st) then return -1 end
local size = redis.call('STRLEN', KEYS[3])
if redis.call('DEL', KEYS[3]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('DECRBY', KEYS[4], size)
redis.call('HINCRBY', KEYS[1], 'chunks_done', 1)
redis.call('HINCRBY', KEYS[1], 'rows_valid', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'rows_rejected', ARGV[4])
for i = 5, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], 'rej:' .. ARGV[i], ARGV[i + 1]) end
return 1`,
);

/**
 * Discards everything a split attempt shipped, before the split starts over in another encoding: the chunks
 * numbered below `firstChunk` (stored or not), every partial, the in-flight bytes and the report's counts
 * of mapped chunks and rows; the report keeps the encoding and the next attempt's first chunk number, so a
 * restarted split resumes there. Map jobs of the discarded chunks find nothing to map or to commit.
 * KEYS: report, partials, inflight. ARGV: firstChunk, encoding, chunkKeyPrefix.
 * Returns 1 when discarded, -1 when the run has ended.
 */
export const discardAttemptScript = new RedisScript<number>(
  'discardAttempt',
  `${TERMINAL}
local st = redis.call('HGET', KEYS[1], 'status')
if not st or terminal(st) then return -1 end
for n = 0, tonumber(ARGV[1]) - 1 do redis.call('DEL', ARGV[3] .. n) end
redis.call('DEL', KEYS[2], KEYS[3])
local fields = redis.call('HKEYS', KEYS[1])
for _, field in ipairs(fields) do
  if string.sub(field, 1, 4) == 'rej:' then redis.call('HDEL', KEYS[1], field) end
end
redis.call('HSET', KEYS[1], 'chunks_done', 0, 'rows_valid', 0, 'rows_rejected', 0, 'encoding', ARGV[2],
  'first_chunk', ARGV[1])
return 1`,
);

/**
 * Ends a run that has not ended as failed, frees the active-run slot and drops its partials and in-flight
 * counter (chunk keys are scanned away by the caller: no new ones can appear once the status is failed).
 * KEYS: report, activeRun, partials, inflight. ARGV: runId, error, finishedAtIso, nowMs, then field/value pairs.
 * Returns 1 when this call failed the run, 0 when it had already ended.
 */
export const failRunScript = new RedisScript<number>(
  'failRun',
  `${TERMINAL}
local st = redis.call('HGET', KEYS[1], 'status')
if not st or terminal(st) then return 0 end
local created = tonumber(redis.call('HGET', KEYS[1], 'created_ms')) or tonumber(ARGV[4])
redis.call('HSET', KEYS[1], 'status', 'failed', 'error', ARGV[2], 'finished_at', ARGV[3],
  'duration_ms', tonumber(ARGV[4]) - created)
if #ARGV > 4 then redis.call('HSET', KEYS[1], unpack(ARGV, 5)) end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
redis.call('DEL', KEYS[3], KEYS[4])
return 1`,
);

/**
 * Publishes a run's results atomically: the results, the `current` pointer, the index of kept results
 * (older ones beyond the limit deleted), the report's final fields, the freed active-run slot and the
 * deleted scratch keys, then announces the run on the results channel. A run that already ended is left
 * alone (a repeated aggregate job publishes once; a failed run publishes nothing). Without a report (results
 * seeded directly) only the results are published.
 * KEYS: report, activeRun, current, resultsIndex, results, partials, inflight.
 * ARGV: runId, publishedJson, nowMs, finishedAtIso, keepResults, resultsKeyPrefix, channel, then report
 * field/value pairs. Returns 1 when published, 0 when the run had already ended.
 */
export const publishResultsScript = new RedisScript<number>(
  'publishResults',
  `${TERMINAL}
local st = redis.call('HGET', KEYS[1], 'status')
if st and terminal(st) then return 0 end
redis.call('SET', KEYS[5], ARGV[2])
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
  redis.call('HSET', KEYS[1], 'status', 'completed', 'finished_at', ARGV[4], 'duration_ms', tonumber(ARGV[3]) - created)
  if #ARGV > 7 then redis.call('HSET', KEYS[1], unpack(ARGV, 8)) end
end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
redis.call('DEL', KEYS[6], KEYS[7])
redis.call('PUBLISH', ARGV[7], ARGV[1])
return 1`,
);

/** Reads the published results in one step, so the pointer and the results it names always match.
 * KEYS: current. ARGV: resultsKeyPrefix. */
export const currentResultsScript = new RedisScript<string | null>(
  'currentResults',
  `local id = redis.call('GET', KEYS[1])
if not id then return false end
return redis.call('GET', ARGV[1] .. id)`,
);

/** The id of the active run, ignoring a slot left by a run that already ended. KEYS: activeRun. ARGV: reportPrefix. */
export const activeRunScript = new RedisScript<string | null>(
  'activeRun',
  `${TERMINAL}
local id = redis.call('GET', KEYS[1])
if not id then return false end
local st = redis.call('HGET', ARGV[1] .. id, 'status')
if not st or terminal(st) then return false end
return id`,
);
