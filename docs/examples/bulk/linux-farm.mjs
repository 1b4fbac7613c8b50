// jobsmith bulk --script docs/examples/bulk/linux-farm.mjs --folder team-a
// Pin team A's freestyle jobs to the linux-farm label, and skip (leave alone) the
// Windows ones: returning null leaves a job unchanged.
/** @type {import('jobsmith').BulkScript} */
export default function (config, job) {
  if (config.rootName !== 'project') return null;
  if ((config.get('assignedNode') ?? '').includes('windows')) return null;
  if (config.exists('assignedNode')) config.set('assignedNode', 'linux-farm');
  else config.add('/project', '<assignedNode>linux-farm</assignedNode>');
  config.set('canRoam', 'false');
  console.error(`pinned ${job.fullName}`);
  return config;
}
