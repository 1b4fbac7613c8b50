/**
 * Who started the create-job build: the commit author of the definition it writes. From the
 * build-user-vars plugin's variables when they are set (`BUILD_USER_ID`, `BUILD_USER`,
 * `BUILD_USER_EMAIL`), else from the build's own causes over the Jenkins API (`JOB_NAME` +
 * `BUILD_NUMBER`, which Jenkins sets in every build: the first `Cause$UserIdCause` with a user).
 * A build started by a timer, SCM, an upstream job or anonymously has no user: the commit is then
 * authored by the committer (jobsmith's identity).
 */
import type { BuildCause, JenkinsApi } from '../model/jenkins-api.js';
import type { GitIdentity } from './definitions-store.js';

/** Default e-mail of a Jenkins user who has none in the environment (`form.author-email` overrides). */
export const DEFAULT_AUTHOR_EMAIL = '{user}@users.jobsmith.invalid';

const SAFE = /^[^<>\n\r]+$/;

function identity(name: string, id: string, email: string | undefined, template: string): GitIdentity | undefined {
  const mail = email && email.includes('@') ? email : template.replaceAll('{user}', id.replace(/[^A-Za-z0-9._+-]/g, '_'));
  if (!SAFE.test(name) || !SAFE.test(mail) || /\s/.test(mail)) return undefined;
  return { name, email: mail };
}

export interface BuildUser {
  author?: GitIdentity;
  /** Where it came from, for the log: `BUILD_USER_ID`, `the build's causes`, or why there is none. */
  source: string;
}

export async function buildUser(env: NodeJS.ProcessEnv, api: JenkinsApi | undefined, emailTemplate = DEFAULT_AUTHOR_EMAIL): Promise<BuildUser> {
  const id = env['BUILD_USER_ID']?.trim();
  if (id) {
    const author = identity(env['BUILD_USER']?.trim() || id, id, env['BUILD_USER_EMAIL']?.trim(), emailTemplate);
    return author ? { author, source: 'BUILD_USER_ID' } : { source: 'BUILD_USER_ID holds characters a git identity cannot' };
  }
  const job = env['JOB_NAME']?.trim();
  const number = Number(env['BUILD_NUMBER']);
  if (!job || !Number.isInteger(number) || number <= 0) return { source: 'not run by a Jenkins build (no JOB_NAME / BUILD_NUMBER)' };
  if (!api?.buildCauses) return { source: 'no Jenkins connection to read the build\'s causes' };
  let causes: BuildCause[];
  try {
    causes = await api.buildCauses(job, number);
  } catch (err) {
    return { source: `reading the causes of ${job} #${number} failed: ${(err as Error).message}` };
  }
  const user = causes.find((c) => c.className.endsWith('Cause$UserIdCause') && c.userId);
  if (!user) return { source: `${job} #${number} was not started by a signed-in user (${causes.map((c) => c.shortDescription ?? c.className).join('; ') || 'no cause'})` };
  const author = identity(user.userName || user.userId!, user.userId!, undefined, emailTemplate);
  return author ? { author, source: `the causes of ${job} #${number}` } : { source: 'the build\'s user name holds characters a git identity cannot' };
}
