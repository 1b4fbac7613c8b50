/** Static assets of the form page, served from memory (no build step, no CDN). */
export const formCss = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2430;background:#f4f6f9}
.top{background:#1f3a5f;color:#fff;padding:10px 24px;display:flex;gap:12px;align-items:baseline}
.brand{font-weight:700;font-size:18px}.sub{opacity:.8}.user{margin-left:auto;opacity:.9}
main{max-width:900px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:24px;margin:12px 0 4px}h2{font-size:19px;margin:24px 0 8px}
.lead{color:#4a5566;margin-top:0}
fieldset{background:#fff;border:1px solid #d6dce5;border-radius:8px;margin:16px 0;padding:12px 18px 8px}
legend{font-weight:600;padding:0 6px}
.field{margin:10px 0 12px}
label{display:block;font-weight:600;margin-bottom:3px}
input:not([type=checkbox]),select{width:100%;padding:7px 9px;border:1px solid #b9c2cf;border-radius:5px;font:inherit;background:#fff}
input:focus,select:focus{outline:2px solid #3b82f6;outline-offset:0;border-color:#3b82f6}
.help{margin:3px 0 0;color:#5b6677;font-size:13px}.used{color:#8a94a3}
.req{color:#c0392b}.opt{font-weight:400;color:#7a8494}
label.template{font-weight:400;display:flex;gap:10px;align-items:baseline;padding:4px 0}
.tname{font-weight:600;font-family:ui-monospace,Menlo,Consolas,monospace;white-space:nowrap;min-width:150px}.tdesc{color:#5b6677}
.has-error input:not([type=checkbox]),.has-error select{border-color:#c0392b;background:#fff7f6}
.error{color:#b3261e;margin:4px 0 0;font-size:13.5px;font-weight:500}
.errors,.notice{border-radius:6px;padding:10px 14px;margin:12px 0}
.errors{background:#fdecea;border:1px solid #f5c2bd}.errors ul{margin:4px 0 0 18px;padding:0}
.notice-exists,.notice-busy,.notice-failed,.notice-refused{background:#fdecea;border:1px solid #f5c2bd}
.notice-info{background:#e8f1fd;border:1px solid #bcd3f5}
.actions{display:flex;gap:10px;justify-content:flex-end}
button{font:inherit;font-weight:600;border-radius:6px;padding:8px 18px;cursor:pointer;border:1px solid #1f3a5f}
button.primary{background:#1f6feb;border-color:#1f6feb;color:#fff}button.secondary{background:#fff;color:#1f3a5f}
pre{background:#0f1722;color:#dfe6ee;padding:10px;border-radius:6px;overflow:auto;max-height:360px;font-size:12.5px}
details{margin:6px 0}summary{cursor:pointer}
ul.jobs{padding-left:20px}.from,.action{color:#5b6677;font-size:13px}
.job-failed .error{display:inline}
.field.token.unused{display:none}
.hint{color:#5b6677;font-style:italic}
`;

/** Progressive enhancement: show only the fields of the chosen templates; preview without a reload. */
export const formJs = `
(function () {
  var form = document.getElementById('create-form');
  if (!form) return;
  function chosen() {
    return Array.prototype.map.call(form.querySelectorAll('input[name=templates]:checked'), function (c) { return c.value; });
  }
  function refresh() {
    var picked = chosen();
    form.querySelectorAll('.field.token').forEach(function (f) {
      var uses = (f.getAttribute('data-templates') || '').split(' ');
      var on = picked.some(function (t) { return uses.indexOf(t) >= 0; });
      f.classList.toggle('unused', picked.length > 0 && !on);
    });
  }
  form.addEventListener('change', function (e) { if (e.target && e.target.name === 'templates') refresh(); });
  refresh();
  var preview = form.querySelector('button[value=preview]');
  if (preview && window.fetch && window.DOMParser) {
    preview.addEventListener('click', function (e) {
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
          ['general-errors', 'notice'].forEach(function (id) {
            var old = document.getElementById(id);
            if (old) old.remove();
            var fresh = doc.getElementById(id);
            if (fresh) form.parentNode.insertBefore(document.importNode(fresh, true), form);
          });
          form.querySelectorAll('.error[data-error-for]').forEach(function (n) { n.remove(); });
          form.querySelectorAll('.has-error').forEach(function (n) { n.classList.remove('has-error'); });
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
