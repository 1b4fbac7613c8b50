/** config.xml of a Jenkins ListView holding the given jobs (names relative to the view's folder). */
import { escapeText } from '../xml/escape.js';

export function listViewConfig(name: string, jobs: readonly string[], description?: string): string {
  const sorted = [...new Set(jobs)].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  const recurse = sorted.some((j) => j.includes('/'));
  const lines = [
    '<?xml version="1.1" encoding="UTF-8"?>',
    '<hudson.model.ListView>',
    `  <name>${escapeText(name)}</name>`,
    ...(description ? [`  <description>${escapeText(description)}</description>`] : []),
    '  <filterExecutors>false</filterExecutors>',
    '  <filterQueue>false</filterQueue>',
    '  <properties class="hudson.model.View$PropertyList"/>',
    '  <jobNames>',
    '    <comparator class="java.lang.String$CaseInsensitiveComparator"/>',
    ...sorted.map((j) => `    <string>${escapeText(j)}</string>`),
    '  </jobNames>',
    '  <jobFilters/>',
    '  <columns>',
    '    <hudson.views.StatusColumn/>',
    '    <hudson.views.WeatherColumn/>',
    '    <hudson.views.JobColumn/>',
    '    <hudson.views.LastSuccessColumn/>',
    '    <hudson.views.LastFailureColumn/>',
    '    <hudson.views.LastDurationColumn/>',
    '    <hudson.views.BuildButtonColumn/>',
    '  </columns>',
    `  <recurse>${recurse}</recurse>`,
    '</hudson.model.ListView>',
    '',
  ];
  return lines.join('\n');
}
