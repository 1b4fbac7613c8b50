/**
 * Which elements of a config Jenkins stores as a `hudson.util.Secret` (encrypted when it saves the
 * config, served as `{AQAAABAAAA…}` by Jenkins 2.568 and later; jenkins-api.md §5). `--verify`
 * accepts an encrypted value only in these (src/plan/secret-lines.ts), and `plan --diff` masks their
 * values. The list:
 *
 * - core: a password parameter's `<defaultValue>` (`hudson.model.PasswordParameterDefinition`, and
 *   plugins' parameter types named `…PasswordParameterDefinition`);
 * - plugins' Secret fields, by their field names: `<password>`, `<passphrase>`, `<secret>`, and names
 *   ending in `Password`, `Passphrase`, `Secret` or `ApiToken` (`secretPassword`, `encryptedPassword`,
 *   `clientSecret`, `apiToken`: the publish-over, mask-passwords, EnvInject, Git/SCM and notifier
 *   plugins' conventions).
 *
 * Not a Secret: `<authToken>` (a job's "trigger builds remotely" token is a plain String), anything
 * ending in `Id` (a credentials id names a secret, it is not one), a command, a label.
 */
const SECRET_NAMES = new Set(['password', 'passphrase', 'secret', 'apiToken']);
const SECRET_SUFFIX = /[a-z0-9](Password|Passphrase|Secret|ApiToken)$/;

/** Is `<name>`, a child of `<parent>`, a field Jenkins stores as a Secret? */
export function isSecretField(name: string, parent: string | undefined): boolean {
  if (name === 'defaultValue') return parent !== undefined && /(^|[.$])(\w*)PasswordParameterDefinition$/.test(parent);
  return SECRET_NAMES.has(name) || SECRET_SUFFIX.test(name);
}

/** The shape of `Secret.getEncryptedValue()`: `{` + base64 of version 1, the IV length 16, … + `}`. */
export const ENCRYPTED_SECRET = /^\{AQAAABAAAA[A-Za-z0-9+/=]+\}$/;
