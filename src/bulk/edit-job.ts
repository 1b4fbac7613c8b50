import { applyOp, type EditOp } from './edit-ops.js';
import type { BulkScript, BulkScriptJob } from './bulk-script.js';
import { XmlConfig, XmlEditError } from '../xml/config-editor.js';
import { XmlSyntaxError } from '../xml/positions.js';
import { PathSyntaxError } from '../xml/element-path.js';

export interface JobEditResult {
  /** The new XML (equal to the input when nothing changed). */
  xml: string;
  changed: boolean;
  /** Elements/replacements touched per op, in op order (the script counts as one). */
  counts: number[];
  /** Set when an op or the script failed on this job: the job is left unchanged. */
  error?: string;
  /** The script returned null/false: leave the job alone. */
  skipped?: boolean;
}

/** Apply the edit ops (then the script, if any) to one config. Pure apart from the user's script. */
export async function editJobConfig(xml: string, ops: readonly EditOp[], script: BulkScript | undefined, job: BulkScriptJob): Promise<JobEditResult> {
  let config: XmlConfig;
  try {
    config = new XmlConfig(xml);
  } catch (err) {
    if (err instanceof XmlSyntaxError) return { xml, changed: false, counts: [], error: `config.xml is not well-formed (line ${err.line}, column ${err.column}): ${err.message}` };
    throw err;
  }
  const counts: number[] = [];
  try {
    for (const op of ops) counts.push(applyOp(config, op));
    if (script) {
      const before = config.xml;
      const out = await script(config, job);
      if (out === null || out === false) return { xml, changed: false, counts, skipped: true };
      if (typeof out === 'string') config.setXml(out);
      else if (out instanceof XmlConfig) config = out;
      else if (out !== undefined) throw new XmlEditError('the script must return the config, an XML string, null/false or nothing');
      counts.push(config.xml === before ? 0 : 1);
    }
  } catch (err) {
    if (err instanceof XmlSyntaxError) return { xml, changed: false, counts, error: `the result is not well-formed XML (line ${err.line}, column ${err.column}): ${err.message}` };
    if (err instanceof XmlEditError || err instanceof PathSyntaxError) return { xml, changed: false, counts, error: err.message };
    if (script) return { xml, changed: false, counts, error: `script failed: ${(err as Error)?.message ?? String(err)}` };
    throw err;
  }
  return { xml: config.xml, changed: config.xml !== xml, counts };
}
