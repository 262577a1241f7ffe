// The answer of GET /api/status: what a client needs before it calls anything else.
import { Type, type Static } from 'typebox';

export const StatusResponseSchema = Type.Object(
  {
    auth_required: Type.Boolean({ description: 'Whether POST /api/process needs the bearer token (ADMIN_TOKEN is set).' }),
    current_run_id: Type.Union([Type.String(), Type.Null()], {
      description: 'Run whose results are published; null until a run has completed.',
    }),
    active_run_id: Type.Union([Type.String(), Type.Null()], { description: 'Run in progress, if any.' }),
    max_upload_bytes: Type.Integer({ minimum: 1, description: 'Largest file PUT /api/files/{name} accepts (MAX_UPLOAD_MB), in bytes.' }),
  },
  {
    title: 'Status',
    examples: [{ auth_required: false, current_run_id: '1pL3EumfjyY4LLOvQoDYa', active_run_id: null, max_upload_bytes: 1073741824 }],
  },
);
export type StatusResponse = Static<typeof StatusResponseSchema>;
