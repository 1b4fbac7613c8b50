/** Static assets of the form page, served from memory (no build step, no CDN). */
export const formCss = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2430;background:#f4f6f9;overflow-wrap:break-word}
.top{background:#1f3a5f;color:#fff;padding:10px 24px;display:flex;flex-wrap:wrap;gap:4px 12px;align-items:baseline}
.brand{font-weight:700;font-size:18px}.sub{opacity:.8}.user{margin-left:auto;opacity:.9}
main{max-width:900px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:24px;margin:12px 0 4px}h2{font-size:19px;margin:24px 0 8px}
.lead{color:#4a5566;margin-top:0}
fieldset{background:#fff;border:1px solid #d6dce5;border-radius:8px;margin:16px 0;padding:12px 18px 8px;min-width:0}
legend{font-weight:600;padding:0 6px}
.field{margin:10px 0 12px;min-width:0}
label{display:block;font-weight:600;margin-bottom:3px}
.token-name{font-weight:400;font-size:12px;color:#6b7585;background:#eef1f5;border-radius:3px;padding:0 4px;overflow-wrap:anywhere}
input:not([type=checkbox]),select{width:100%;max-width:100%;padding:7px 9px;border:1px solid #b9c2cf;border-radius:5px;font:inherit;background:#fff}
input:focus,select:focus,a:focus,button:focus{outline:2px solid #3b82f6;outline-offset:1px}
.help{margin:3px 0 0;color:#5b6677;font-size:13px}.used{color:#8a94a3}.for{font-weight:600}
.hint,.example{color:#4a5566}
code{overflow-wrap:anywhere}
.req{color:#c0392b}.opt{font-weight:400;color:#7a8494}
label.template{font-weight:400;display:flex;flex-wrap:wrap;gap:2px 10px;align-items:baseline;padding:4px 0;min-width:0}
.tname{font-weight:600;font-family:ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere;min-width:0}.tdesc{color:#5b6677;flex:1 1 220px;min-width:0}
@media (min-width:640px){.tname{min-width:150px}}
.has-error input:not([type=checkbox]),.has-error select{border-color:#c0392b;background:#fff7f6;border-width:2px}
.has-error{border-left:4px solid #c0392b;padding-left:10px}
fieldset.has-error{border-left-width:4px;border-color:#c0392b}
.error{color:#b3261e;margin:4px 0 0;font-size:14px;font-weight:600}
.error-summary{border:3px solid #b3261e;background:#fff;border-radius:6px;padding:10px 14px;margin:12px 0}
.error-summary:focus{outline:3px solid #f0b323;outline-offset:2px}
.error-summary h2{margin:0 0 6px;font-size:17px;color:#b3261e}
.error-summary ul{margin:0;padding-left:18px}.error-summary a{color:#b3261e;font-weight:600}
.errors,.notice{border-radius:6px;padding:10px 14px;margin:12px 0}
.notice-exists,.notice-busy,.notice-failed,.notice-refused{background:#fdecea;border:1px solid #f5c2bd}
.notice-info{background:#e8f1fd;border:1px solid #bcd3f5}
.actions{display:flex;flex-wrap:wrap;gap:10px;justify-content:flex-end}
button{font:inherit;font-weight:600;border-radius:6px;padding:8px 18px;cursor:pointer;border:1px solid #1f3a5f}
button.primary{background:#1f6feb;border-color:#1f6feb;color:#fff}button.secondary{background:#fff;color:#1f3a5f}
button:disabled,button[aria-disabled=true]{opacity:.6;cursor:progress}
.busy-note{margin:6px 0 0;text-align:right;color:#4a5566;min-height:1em}
pre{background:#0f1722;color:#dfe6ee;padding:10px;border-radius:6px;overflow:auto;max-height:360px;max-width:100%;font-size:12.5px}
details{margin:6px 0;min-width:0}summary{cursor:pointer}
ul.jobs,ul.items{padding-left:20px}.from,.action{color:#5b6677;font-size:13px}
.job-failed .error{display:inline}
.field.token.unused,.desc.unused{display:none}
.visually-hidden{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
@media (max-width:480px){main{padding:12px 12px 40px}.top{padding:8px 12px}fieldset{padding:10px 12px 6px}h1{font-size:21px}.actions button{flex:1 1 auto}}
`;

/**
 * Progressive enhancement (the form works without it): only the fields (and descriptions) of the
 * chosen templates are shown; focus goes to the error summary; Create is disabled while a
 * submission runs (the server also answers a repeated submission with the first one's result);
 * Preview updates in place.
 */
export const formJs = `
(function () {
  var summary = document.getElementById('error-summary') || document.getElementById('notice');
  if (summary && document.activeElement !== summary) summary.focus();
  var form = document.getElementById('create-form');
  if (!form) return;
  function chosen() {
    return Array.prototype.map.call(form.querySelectorAll('input[name=templates]:checked'), function (c) { return c.value; });
  }
  function usedBy(el, picked) {
    var uses = (el.getAttribute('data-templates') || '').split(' ');
    return picked.some(function (t) { return uses.indexOf(t) >= 0; });
  }
  function refresh() {
    var picked = chosen();
    form.querySelectorAll('.field.token').forEach(function (f) {
      f.classList.toggle('unused', picked.length > 0 && !usedBy(f, picked));
    });
    form.querySelectorAll('.desc[data-templates]').forEach(function (d) {
      d.classList.toggle('unused', picked.length > 0 && !usedBy(d, picked));
    });
  }
  form.addEventListener('change', function (e) { if (e.target && e.target.name === 'templates') refresh(); });
  refresh();
  var create = form.querySelector('button[value=create]');
  var previewButton = form.querySelector('button[value=preview]');
  var note = document.getElementById('busy-note');
  form.addEventListener('submit', function (e) {
    if (e.submitter !== create) return;
    if (form.getAttribute('data-busy') === 'true') { e.preventDefault(); return; }
    form.setAttribute('data-busy', 'true');
    // after the browser has collected the form data (a disabled button would not be sent)
    setTimeout(function () {
      create.disabled = true;
      create.setAttribute('aria-disabled', 'true');
      if (previewButton) previewButton.disabled = true;
      create.textContent = 'Creating\\u2026';
      if (note) note.textContent = 'Creating the jobs; this can take a few seconds.';
    }, 0);
  });
  window.addEventListener('pageshow', function (e) {
    if (!e.persisted) return; // back from the result page: the form is usable again
    form.removeAttribute('data-busy');
    create.disabled = false;
    create.removeAttribute('aria-disabled');
    create.textContent = 'Create jobs';
    if (previewButton) previewButton.disabled = false;
    if (note) note.textContent = '';
  });
  if (previewButton && window.fetch && window.DOMParser) {
    previewButton.addEventListener('click', function (e) {
      e.preventDefault();
      var body = new URLSearchParams(new FormData(form));
      body.set('action', 'preview');
      fetch(form.getAttribute('action') || '/', { method: 'POST', body: body, credentials: 'same-origin' })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, 'text/html');
          var next = doc.getElementById('preview');
          var cur = document.getElementById('preview');
          if (next && cur) cur.replaceWith(document.importNode(next, true));
          ['error-summary', 'notice'].forEach(function (id) {
            var old = document.getElementById(id);
            if (old) old.remove();
          });
          ['notice', 'error-summary'].forEach(function (id) {
            var fresh = doc.getElementById(id);
            if (fresh) form.parentNode.insertBefore(document.importNode(fresh, true), form);
          });
          form.querySelectorAll('.error[data-error-for]').forEach(function (n) { n.remove(); });
          form.querySelectorAll('.has-error').forEach(function (n) { n.classList.remove('has-error'); });
          form.querySelectorAll('[name]').forEach(function (i) {
            if (!i.id) return;
            var twin = doc.getElementById(i.id);
            ['aria-invalid', 'aria-describedby'].forEach(function (a) {
              if (twin && twin.hasAttribute(a)) i.setAttribute(a, twin.getAttribute(a)); else i.removeAttribute(a);
            });
          });
          doc.querySelectorAll('.error[data-error-for]').forEach(function (n) {
            var key = n.getAttribute('data-error-for');
            var field = Array.prototype.find.call(form.querySelectorAll('[name]'), function (i) { return i.name === key; });
            var holder = field && (field.closest('.field') || field.closest('fieldset'));
            if (holder) { holder.classList.add('has-error'); holder.appendChild(document.importNode(n, true)); }
          });
        })
        .catch(function () { form.submit(); });
    });
  }
})();
`;
