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
<% if (notice) { %><div class="notice notice-<%= notice.kind %>" role="alert" id="notice"><%= notice.message %></div><% } %>
<% if (general.length) { %><div class="errors" role="alert" id="general-errors"><strong>Please fix:</strong><ul><% general.forEach(function (m) { %><li><%= m %></li><% }) %></ul></div><% } %>
<form method="post" action="<%= base %>/" id="create-form" novalidate>
<input type="hidden" name="csrf" value="<%= csrf %>">
<fieldset class="project">
  <legend>Project</legend>
  <div class="field<%= errors.project ? ' has-error' : '' %>">
    <label for="f-project">Project name <span class="req">*</span></label>
    <input id="f-project" name="project" value="<%= values.project %>" required pattern="[A-Za-z0-9][A-Za-z0-9._\-]*" placeholder="payments-service" autocomplete="off">
    <p class="help">Jobs are named <code>&lt;project&gt;-&lt;template&gt;</code>. Letters, digits, ".", "_" and "-".</p>
    <% (errors.project || []).forEach(function (m) { %><p class="error" data-error-for="project"><%= m %></p><% }) %>
  </div>
  <div class="field<%= errors.folder ? ' has-error' : '' %>">
    <label for="f-folder">Folder <span class="opt">(optional)</span></label>
    <input id="f-folder" name="folder" value="<%= values.folder %>" placeholder="team-a">
    <% (errors.folder || []).forEach(function (m) { %><p class="error" data-error-for="folder"><%= m %></p><% }) %>
  </div>
  <div class="field<%= errors.view ? ' has-error' : '' %>">
    <label for="f-view">View <span class="opt">(optional)</span></label>
    <input id="f-view" name="view" value="<%= values.view %>" placeholder="Payments">
    <% (errors.view || []).forEach(function (m) { %><p class="error" data-error-for="view"><%= m %></p><% }) %>
  </div>
  <% if (!user) { %>
  <div class="field">
    <label for="f-author-name">Your name <span class="opt">(commit author)</span></label>
    <input id="f-author-name" name="author_name" value="<%= values.authorName %>" placeholder="Ada Lovelace">
  </div>
  <div class="field">
    <label for="f-author-email">Your e-mail</label>
    <input id="f-author-email" name="author_email" type="email" value="<%= values.authorEmail %>" placeholder="ada@example.com">
  </div>
  <% } %>
</fieldset>
<fieldset class="templates<%= errors.templates ? ' has-error' : '' %>">
  <legend>Job set</legend>
  <% catalog.templates.forEach(function (t) { %>
  <label class="template"><input type="checkbox" name="templates" value="<%= t.name %>"<%= values.templates.indexOf(t.name) >= 0 ? ' checked' : '' %>>
    <span class="tname"><%= t.name %></span><% if (t.description) { %> <span class="tdesc"><%= t.description %></span><% } %></label>
  <% }) %>
  <% if (!catalog.templates.length) { %><p class="error">No templates found in the templates directory.</p><% } %>
  <% (errors.templates || []).forEach(function (m) { %><p class="error" data-error-for="templates"><%= m %></p><% }) %>
</fieldset>
<fieldset class="tokens">
  <legend>Settings</legend>
  <% catalog.fields.forEach(function (f) { var key = 'token.' + f.token; var id = 'f-token-' + f.token.replace(/[^A-Za-z0-9]/g, '-'); var v = values.tokens[f.token]; if (v === undefined) v = f.default === undefined ? '' : f.default; %>
  <div class="field token<%= errors[key] ? ' has-error' : '' %>" data-templates="<%= f.templates.join(' ') %>">
    <label for="<%= id %>"><code>$<%= f.token %></code><% if (f.required) { %> <span class="req">*</span><% } %></label>
    <% if (f.kind === 'boolean') { %>
      <input type="hidden" name="<%= key %>" value="false">
      <input type="checkbox" id="<%= id %>" name="<%= key %>" value="true"<%= String(v).toLowerCase() === 'true' ? ' checked' : '' %>>
    <% } else if (f.kind === 'select') { %>
      <select id="<%= id %>" name="<%= key %>">
        <% if (!f.required && f.default === undefined) { %><option value="">(none)</option><% } %>
        <% f.allowed.forEach(function (a) { %><option value="<%= a %>"<%= a === v ? ' selected' : '' %>><%= a %></option><% }) %>
      </select>
    <% } else { %>
      <input id="<%= id %>" name="<%= key %>" value="<%= v %>"<% if (f.example) { %> placeholder="<%= f.example %>"<% } %><% if (f.pattern) { %> data-pattern="<%= f.pattern %>"<% } %>>
    <% } %>
    <p class="help"><% if (f.description) { %><%= f.description %><% } %><% if (f.pattern) { %> <span class="pattern">Format: <code><%= f.pattern %></code></span><% } %> <span class="used">Used by <%= f.templates.join(', ') %>.</span></p>
    <% (errors[key] || []).forEach(function (m) { %><p class="error" data-error-for="<%= key %>"><%= m %></p><% }) %>
  </div>
  <% }) %>
</fieldset>
<div class="actions">
  <button type="submit" name="action" value="preview" class="secondary">Preview</button>
  <button type="submit" name="action" value="create" class="primary">Create jobs</button>
</div>
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
<% } %>
<% if (outcome.warnings.length) { %><div class="warnings"><strong>Warnings:</strong><ul><% outcome.warnings.forEach(function (w) { %><li><%= w.message %></li><% }) %></ul></div><% } %>
<details><summary>Definition <code><%= outcome.file %></code></summary><pre class="definition"><%= outcome.text %></pre></details>
<p><a href="<%= base %>/">Create another project</a></p>
`;

export const messageView = String.raw`<h1><%= heading %></h1>
<div class="notice notice-failed" role="alert" id="notice"><%= message %></div>
<p><a href="<%= base %>/">Back to the form</a></p>
`;
