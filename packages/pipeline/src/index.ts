export type { RunStatus, RunProgress, RunReport, PublishedResults } from "./run-report.js";
