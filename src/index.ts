// Public, typed library API of jobsmith. Each phase adds its exports here.
export * from './model/diagnostic.js';
export * from './model/result.js';
export * from './model/desired-job.js';
export * from './model/observed.js';
export * from './model/jenkins-api.js';
export * from './model/clock.js';
export * from './model/errors.js';
export * from './bulk/xml-positions.js';
export * from './bulk/xml-path.js';
export * from './bulk/xml-config.js';
export * from './bulk/xml-condition.js';
export * from './bulk/edit-ops.js';
export * from './bulk/bulk-script.js';
export * from './bulk/edit-job.js';
export * from './standin/server.js';
export type { FaultControls, FaultConfig, RouteFault } from './standin/faults.js';
export type { StandinUser } from './standin/auth.js';
