// jobsmith bulk --script docs/examples/bulk/timestamps.ts --type project
// Add the Timestamper build wrapper to every freestyle job that does not have it yet.
import type { BulkScript } from 'jobsmith';

const WRAPPER = '<hudson.plugins.timestamper.TimestamperBuildWrapper plugin="timestamper@1.26"/>';

const script: BulkScript = (config) => {
  if (config.exists('buildWrappers/hudson.plugins.timestamper.TimestamperBuildWrapper')) return null;
  if (!config.exists('buildWrappers')) config.add('/*', '<buildWrappers/>');
  config.add('buildWrappers', WRAPPER);
  return config;
};
export default script;
