// jobsmith bulk --script docs/examples/bulk/svn-host-move.mjs --where 'scm/@class=hudson.scm.SubversionSCM'
// The Subversion server moved: rewrite the host in every module location's URL, and only there
// (the same host name in a shell step or the description is left alone).
export default function (config) {
  for (const loc of config.query('scm/locations/*')) {
    config.replace(/^(svn|https?):\/\/svn\.old\.example\.com\//, '$1://svn.example.com/', `${loc.path}/remote`);
  }
  return config;
}
