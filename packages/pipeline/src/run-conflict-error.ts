// Thrown by startRun while another run is active: one run at a time (the API answers 409 with its id).
export class RunConflictError extends Error {
  constructor(readonly activeRunId: string) {
    super(`run ${activeRunId} is still active; wait for it to finish before starting another one`);
    this.name = 'RunConflictError';
  }
}
