/** The smallest config.xml Jenkins accepts for a cloudbees folder (python-jenkins' EMPTY_FOLDER_XML shape). */
export const FOLDER_CLASS = 'com.cloudbees.hudson.plugins.folder.Folder';

export const MINIMAL_FOLDER_XML =
  "<?xml version='1.0' encoding='UTF-8'?>\n" +
  `<${FOLDER_CLASS}>\n` +
  '  <actions/>\n' +
  '  <description></description>\n' +
  '  <properties/>\n' +
  '  <folderViews/>\n' +
  '  <healthMetrics/>\n' +
  `</${FOLDER_CLASS}>\n`;
