// jobsmith bulk --script docs/examples/bulk/maven-upgrade.ts --match 'payments-*'
// Moves every Maven build step and Maven project from maven-3.8.x to maven-3.9.6, and
// adds `-B` (batch mode) to the goals of freestyle Maven steps that lack it.
import type { BulkScript } from 'jobsmith';

const script: BulkScript = (config) => {
  const names = [...config.query('//hudson.tasks.Maven/mavenName'), ...config.query('/maven2-moduleset/mavenName')];
  for (const el of names) {
    if (el.text.startsWith('maven-3.8')) config.set(el.path, 'maven-3.9.6');
  }
  for (const step of config.query('//hudson.tasks.Maven')) {
    const targets = config.get(`${step.path}/targets`);
    if (targets !== undefined && !/(^|\s)-B(\s|$)/.test(targets)) config.set(`${step.path}/targets`, `-B ${targets}`);
  }
  return config;
};
export default script;
