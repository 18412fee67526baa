// Export to other engines (TRL, verl, OpenRLHF): see exportExperiment.ts.
export { exportExperiment, type ExportInput, type ExportPolicy, type ExportResult } from './exportExperiment';
export { resolveArms, startingPolicy, trainedPolicy } from './policy';
export { exportName, zipExport } from './zip';
export { EXPORT_TARGETS, type ExportTarget } from './types';
export { ENGINES, unknownKeys } from './engineVersions';
