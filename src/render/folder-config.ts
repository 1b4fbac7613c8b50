/** The config.xml of a folder jobsmith creates: a plain cloudbees Folder. */
export function folderConfig(): string {
  return [
    "<?xml version='1.1' encoding='UTF-8'?>",
    '<com.cloudbees.hudson.plugins.folder.Folder plugin="cloudbees-folder">',
    '  <description></description>',
    '  <properties/>',
    '  <healthMetrics/>',
    '</com.cloudbees.hudson.plugins.folder.Folder>',
    '',
  ].join('\n');
}
