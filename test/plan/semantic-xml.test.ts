import { describe, expect, it } from 'vitest';
import { sameConfig } from '../../src/plan/semantic-xml.js';

describe('sameConfig (drift comparison)', () => {
  const rendered = '<?xml version="1.0" encoding="UTF-8"?>\n<project>\n  <description>x &amp; y</description>\n  <disabled>false</disabled>\n  <scm class="hudson.scm.NullSCM" a="1"/>\n</project>\n';
  it('ignores declaration, indentation, empty-element form, attribute order, plugin attributes and the marker', () => {
    const jenkins = `<?xml version='1.1' encoding='UTF-8'?>\n<project><description>x &#38; y\n&lt;!-- jobsmith:v1 project=p template=t hash=h --&gt;</description><disabled>false</disabled><scm a="1" class="hudson.scm.NullSCM" plugin="scm@1"></scm></project>`;
    expect(sameConfig(rendered, jenkins)).toBe(true);
  });
  it('sees changed text, attributes, elements and order of elements', () => {
    expect(sameConfig(rendered, rendered.replace('false', 'true'))).toBe(false);
    expect(sameConfig(rendered, rendered.replace('a="1"', 'a="2"'))).toBe(false);
    expect(sameConfig(rendered, rendered.replace('<disabled>false</disabled>', ''))).toBe(false);
    expect(sameConfig(rendered, rendered.replace('x &amp; y', 'x and y'))).toBe(false);
  });
  it('treats malformed XML as different', () => {
    expect(sameConfig(rendered, '<project><oops></project>')).toBe(false);
  });
});
