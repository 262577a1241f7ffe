// GET /api/events: a Server-Sent Events stream. Its events are described here once, for the OpenAPI document.
import { Type } from 'typebox';

export const EVENTS_DESCRIPTION = [
  'A `text/event-stream` that stays open. Each event has a name (`event:`) and one line of JSON (`data:`):',
  '',
  '| event | data | when |',
  '|---|---|---|',
  '| `status` | `{ "auth_required", "current_run_id", "active_run_id" }` (as GET /api/status) | first, on every (re)connection |',
  '| `run.created` | the run report (as GET /api/jobs/{id}), `job_id` first | a run was started (by any client or API instance) |',
  '| `run.progress` | the run report | its status or progress changed (looked at every 200 ms while a client listens); also right after `status` when a run is active |',
  '| `run.ended` | the final run report (`completed`, `failed` or `cancelled`) | the run ended |',
  '| `results.published` | `{ "job_id", "published_at" }` | this API now serves the results of that run |',
  '',
  'In a stream, `progress.percent` never decreases for a run and `chunks_done` never exceeds `chunks_total`. ' +
    'A comment line (`: heartbeat`) comes every 15 s so proxies keep a quiet stream open; the first event sets ' +
    '`retry: 2000` (reconnect after 2 s). Clients that refuse `text/event-stream` in Accept get 406.',
].join('\n');

export const EventStreamSchema = Type.String({
  description: 'Server-Sent Events; see the operation description for the events and their data.',
});

/** The start of a stream as curl showed it (reports cut short). */
export const EVENT_STREAM_EXAMPLE =
  'event: status\ndata: {"auth_required":false,"current_run_id":"1pL3EumfjyY4LLOvQoDYa","active_run_id":null}\nretry: 2000\n\n' +
  'event: run.created\ndata: {"job_id":"S04Lcm7NkSewzEeg-f0aM","status":"mapping","source":"ventes-2024-01.csv",…}\n\n' +
  'event: run.ended\ndata: {"job_id":"S04Lcm7NkSewzEeg-f0aM","status":"completed",…,"duration_ms":275,…}\n\n' +
  'event: results.published\ndata: {"job_id":"S04Lcm7NkSewzEeg-f0aM","published_at":"2026-12-06T00:48:30.373Z"}\n\n';
