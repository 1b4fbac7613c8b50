/**
 * The create-job page (ejs, rendered on the server). Every value is printed with `<%= %>`
 * (escaped); the only unescaped include is the page body, itself rendered from escaped output.
 */
export const pageView = String.raw`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><%= title %> · jobsmith</title>
<link rel="stylesheet" href="<%= base %>/assets/form.css">
<script src="<%= base %>/assets/form.js" defer></script>
</head>
<body>
<header class="top"><span class="brand">jobsmith</span> <span class="sub">self-service job creation</span><% if (user) { %><span class="user">signed in as <%= user %></span><% } %></header>
<main>
<%- body %>
</main>
</body>
</html>
`;

export const formView = String.raw`<h1>Create the jobs for a project</h1>
<p class="lead">Pick a job set, fill in the fields and press <em>Create jobs</em>. The definition is committed to
<code><%= definitionsLabel %></code> and the jobs appear in <a href="<%= jenkinsUrl || '#' %>">Jenkins</a> seconds later.</p>
<% var focusDone = false; %>
<% if (summary.length) { focusDone = true; %>
<div class="error-summary" id="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
  <h2 id="error-summary-title"><%= creating ? 'Nothing was created: ' : 'Before creating, fix ' %><%= creating ? (summary.length === 1 ? 'there is a problem' : 'there are ' + summary.length + ' problems') : (summary.length === 1 ? 'this problem' : 'these ' + summary.length + ' problems') %></h2>
  <ul><% summary.forEach(function (s) { %><li><% if (s.href) { %><a href="<%= s.href %>"><%= s.label %>: <%= s.message %></a><% } else { %><%= s.message %><% } %></li><% }) %></ul>
</div>
<% } %>
<% if (notice) { %><div class="notice notice-<%= notice.kind %>" role="alert" id="notice" tabindex="-1"<%= focusDone ? '' : ' autofocus' %>><%= notice.message %></div><% } %>
<form method="post" action="<%= base %>/" id="create-form" novalidate>
<input type="hidden" name="csrf" value="<%= csrf %>">
<input type="hidden" name="submission" value="<%= submission %>">
<%
  function described(key, help) {
    var ids = [];
    if (help) ids.push(fieldId(key) + '-help');
    if (errors[key]) ids.push(fieldId(key) + '-error');
    return ids.length ? ' aria-describedby="' + ids.join(' ') + '"' : '';
  }
  function invalid(key) { return errors[key] ? ' aria-invalid="true"' : ''; }
%>
<% function errorFor(key) { if (!errors[key]) return; %><p class="error" id="<%= fieldId(key) %>-error" data-error-for="<%= key %>"><span class="visually-hidden">Error: </span><% errors[key].forEach(function (m, i) { %><span class="msg"><%= m %></span><%= i < errors[key].length - 1 ? ' ' : '' %><% }) %></p><% } %>
<fieldset class="project">
  <legend>Project</legend>
  <div class="field<%= errors.project ? ' has-error' : '' %>">
    <label for="f-project">Project name <span class="req" aria-hidden="true">*</span><span class="visually-hidden"> (required)</span></label>
    <input id="f-project" name="project" value="<%= values.project %>" aria-required="true" placeholder="payments-service" autocomplete="off" spellcheck="false"<%- invalid('project') %><%- described('project', true) %>>
    <p class="help" id="f-project-help">Jobs are named <code>&lt;project&gt;-&lt;template&gt;</code>. Letters, digits, ".", "_" and "-"; at most 100 characters.</p>
    <% errorFor('project') %>
  </div>
  <div class="field<%= errors.folder ? ' has-error' : '' %>">
    <label for="f-folder">Folder <span class="opt">(optional)</span></label>
    <input id="f-folder" name="folder" value="<%= values.folder %>" placeholder="team-a" spellcheck="false"<%- invalid('folder') %><%- described('folder', false) %>>
    <% errorFor('folder') %>
  </div>
  <div class="field<%= errors.view ? ' has-error' : '' %>">
    <label for="f-view">View <span class="opt">(optional)</span></label>
    <input id="f-view" name="view" value="<%= values.view %>" placeholder="Payments"<%- invalid('view') %><%- described('view', false) %>>
    <% errorFor('view') %>
  </div>
  <% if (!user) { %>
  <div class="field">
    <label for="f-author-name">Your name <span class="opt">(commit author)</span></label>
    <input id="f-author-name" name="author_name" value="<%= values.authorName %>" placeholder="Ada Lovelace" autocomplete="name">
  </div>
  <div class="field">
    <label for="f-author-email">Your e-mail</label>
    <input id="f-author-email" name="author_email" type="email" value="<%= values.authorEmail %>" placeholder="ada@example.com" autocomplete="email">
  </div>
  <% } %>
</fieldset>
<fieldset class="templates<%= errors.templates ? ' has-error' : '' %>"<%- described('templates', false) %>>
  <legend>Job set <span class="req" aria-hidden="true">*</span><span class="visually-hidden"> (pick at least one)</span></legend>
  <% catalog.templates.forEach(function (t, i) { %>
  <label class="template"><input type="checkbox" name="templates" value="<%= t.name %>"<%- i === 0 ? ' id="f-templates"' : '' %><%= values.templates.indexOf(t.name) >= 0 ? ' checked' : '' %><%- invalid('templates') %>>
    <span class="tname"><%= t.name %></span><% if (t.description) { %> <span class="tdesc"><%= t.description %></span><% } %></label>
  <% }) %>
  <% if (!catalog.templates.length) { %><p class="error">No templates found in the templates directory.</p><% } %>
  <% errorFor('templates') %>
</fieldset>
<fieldset class="tokens">
  <legend>Settings</legend>
  <% catalog.fields.forEach(function (f) { var key = 'token.' + f.token; var id = fieldId(key); var v = values.tokens[f.token]; if (v === undefined) v = f.default === undefined ? '' : f.default; %>
  <div class="field token<%= errors[key] ? ' has-error' : '' %>" data-templates="<%= f.templates.join(' ') %>">
    <label for="<%= id %>"><span class="label-text"><%= f.label %></span><% if (f.required) { %> <span class="req" aria-hidden="true">*</span><span class="visually-hidden"> (required)</span><% } %> <code class="token-name">$<%= f.token %></code></label>
    <% if (f.kind === 'boolean') { %>
      <input type="hidden" name="<%= key %>" value="false">
      <input type="checkbox" id="<%= id %>" name="<%= key %>" value="true"<%= String(v).toLowerCase() === 'true' ? ' checked' : '' %><%- invalid(key) %><%- described(key, true) %>>
    <% } else if (f.kind === 'select') { %>
      <select id="<%= id %>" name="<%= key %>"<%- invalid(key) %><%- described(key, true) %>>
        <% if (!f.required && f.default === undefined) { %><option value="">(none)</option><% } %>
        <% f.allowed.forEach(function (a) { %><option value="<%= a %>"<%= a === v ? ' selected' : '' %>><%= a %></option><% }) %>
      </select>
    <% } else { %>
      <input id="<%= id %>" name="<%= key %>" value="<%= v %>" spellcheck="false"<% if (f.required) { %> aria-required="true"<% } %><% if (f.example) { %> placeholder="<%= f.example %>"<% } %><%- invalid(key) %><%- described(key, true) %>>
    <% } %>
    <p class="help" id="<%= id %>-help"><% f.descriptions.forEach(function (d) { if (f.descriptions.length === 1 && d.text.replace(/\.$/, '') === f.label) return; %><span class="desc" data-templates="<%= d.templates.join(' ') %>"><% if (f.descriptions.length > 1) { %><span class="for"><%= d.templates.join(', ') %>:</span> <% } %><%= d.text %></span> <% }) %><% if (f.hint) { %><span class="hint">Expected: <%= f.hint %>.</span> <% } %><% if (f.example && f.kind === 'text') { %><span class="example">For example <code><%= f.example %></code>.</span> <% } %><span class="used">Used by <%= f.templates.join(', ') %>.</span></p>
    <% errorFor(key) %>
  </div>
  <% }) %>
</fieldset>
<div class="actions">
  <button type="submit" name="action" value="preview" class="secondary">Preview</button>
  <button type="submit" name="action" value="create" class="primary" id="create-button">Create jobs</button>
</div>
<p class="busy-note" id="busy-note" role="status" aria-live="polite"></p>
</form>
<section id="preview" aria-live="polite">
<% if (preview) { %>
  <h2>Preview</h2>
  <% if (preview.jobs.length) { %>
  <p>These jobs will be created:</p>
  <ul class="jobs"><% preview.jobs.forEach(function (j) { %><li><code class="job-name"><%= j.fullName %></code> <span class="from">from <%= j.template %></span></li><% }) %></ul>
  <% preview.jobs.forEach(function (j) { %>
  <details><summary><code><%= j.fullName %></code> config.xml</summary><pre class="config"><%= j.config %></pre></details>
  <% }) %>
  <% } else { %><p>No jobs yet: fix the errors above.</p><% } %>
  <details><summary>Definition <code><%= preview.file %></code></summary><pre class="definition"><%= preview.text %></pre></details>
<% } %>
</section>
`;

export const resultView = String.raw`<% if (outcome.sync !== 'deferred' && !outcome.sync.ok) { %>
<h1>Definition committed, jobs not (yet) created</h1>
<div class="notice notice-failed" role="alert" id="notice"><%= outcome.sync.message || 'Some jobs could not be created.' %></div>
<% } else { %>
<h1>Jobs for <%= outcome.project %> <%= outcome.sync === 'deferred' ? 'requested' : 'created' %></h1>
<% } %>
<p>Committed <code class="commit"><%= outcome.commit.slice(0, 12) %></code> (<code><%= outcome.file %></code>) to branch <code><%= outcome.branch %></code><%= outcome.pushed ? ' and pushed' : '' %><%= outcome.retried ? ' (after catching up with the remote)' : '' %>.</p>
<% if (outcome.sync === 'deferred') { %>
<p>The sync master job creates these jobs on its next run:</p>
<ul class="jobs"><% outcome.jobs.forEach(function (j) { %><li><code class="job-name"><%= j.fullName %></code></li><% }) %></ul>
<% } else { %>
<ul class="jobs created"><% outcome.sync.jobs.forEach(function (j) { %>
  <li class="job-<%= j.action %>"><% if (j.url) { %><a href="<%= j.url %>"><%= j.fullName %></a><% } else { %><code><%= j.fullName %></code><% } %> <span class="action"><%= j.action %></span><% if (j.error) { %> <span class="error"><%= j.error %></span><% } %></li>
<% }) %></ul>
<% if ((outcome.sync.items || []).length) { %>
<ul class="items"><% outcome.sync.items.forEach(function (i) { %>
  <li class="item-<%= i.action %>" data-target="<%= i.target %>"><%= i.target === 'folder' ? 'Folder' : 'View' %> <code><%= i.fullName %></code> <span class="action"><%= i.action %></span><% if (i.error) { %> <span class="error"><%= i.error %></span><% } %></li>
<% }) %></ul>
<% } %>
<% } %>
<% if (outcome.warnings.length) { %><div class="warnings"><strong>Warnings:</strong><ul><% outcome.warnings.forEach(function (w) { %><li><%= w.message %></li><% }) %></ul></div><% } %>
<details><summary>Definition <code><%= outcome.file %></code></summary><pre class="definition"><%= outcome.text %></pre></details>
<p><a href="<%= base %>/">Create another project</a></p>
`;

export const messageView = String.raw`<h1><%= heading %></h1>
<div class="notice notice-failed" role="alert" id="notice"><%= message %></div>
<p><a href="<%= base %>/">Back to the form</a></p>
`;
