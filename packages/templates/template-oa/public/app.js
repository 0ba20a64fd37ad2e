// The document desk. Every URL is relative (`api/...`), so the page works both at the app's
// own host and under the platform's path prefix /apps/<tenant>/<app>/.
const $ = (selector) => document.querySelector(selector);
let meta;
let current = null;

const html = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const list = (value) =>
  String(value ?? '')
    .split(/[,，、]/)
    .map((s) => s.trim())
    .filter(Boolean);

function say(text) {
  $('#message').textContent = text;
  if (text) setTimeout(() => ($('#message').textContent = ''), 6000);
}

async function api(path, options = {}) {
  const response = await fetch(path, options);
  if (response.status === 204) return null;
  const data = await response.json();
  if (!response.ok) throw new Error(`${data.title}: ${data.detail}`);
  return data;
}

const post = (path, body) =>
  api(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const options = (entries) =>
  entries
    .map(([value, label]) => `<option value="${html(value)}">${html(label)}</option>`)
    .join('');

async function loadMeta() {
  meta = await api('api/meta');
  for (const el of document.querySelectorAll('.doc-types'))
    el.innerHTML = options(meta.docTypes.map((t) => [t, t]));
  for (const el of document.querySelectorAll('.classifications'))
    el.innerHTML = options(Object.entries(meta.classifications));
  for (const el of document.querySelectorAll('.urgencies')) {
    el.innerHTML = options(Object.entries(meta.urgencies));
    el.value = 'normal';
  }
}

async function loadDocuments() {
  const query = new URLSearchParams({ limit: '50' });
  if ($('#direction').value) query.set('direction', $('#direction').value);
  const { items } = await api(`api/documents?${query}`);
  $('#documents').innerHTML =
    items
      .map(
        (
          d,
        ) => `<tr data-id="${d.id}"><td>${html(d.registrationNo ?? d.docNumber ?? '（未编号 · unnumbered）')}</td>
          <td>${html(d.title)}</td><td class="${d.urgency}">${html(d.urgencyLabel)}</td><td>${html(d.statusLabel)}</td></tr>`,
      )
      .join('') || '<tr><td colspan="4">暂无公文 · No documents</td></tr>';
}

/** Asks for what an action needs; null when the user cancels. */
function askFor(rule) {
  const body = {};
  const questions = {
    opinion: '意见 · Opinion',
    undertaker: '承办部门 · Undertaking department',
    department: '本部门名称 · Your department',
    actor: '签发人 · Signer',
  };
  for (const field of rule.requires) {
    const answer = prompt(questions[field] ?? field);
    if (!answer) return null;
    body[field] = answer;
  }
  if (!rule.requires.includes('actor')) {
    const actor = prompt('经办人（可空）· Your name (optional)');
    if (actor) body.actor = actor;
  }
  return body;
}

async function showDetail(id) {
  const d = await api(`api/documents/${id}`);
  current = d;
  const chain = meta.chains[d.direction];
  const buttons = d.allowedActions
    .map((a) => `<button data-action="${a}">${html(chain[a].label)}</button>`)
    .join('');
  const files = d.attachments
    .map(
      (a) => `<li>${a.kind === 'body' ? '正文 · Body' : '附件 · Attachment'}:
      <a href="api/documents/${d.id}/attachments/${a.id}">${html(a.fileName)}</a> (${a.sizeBytes} B, SHA-256 ${a.sha256.slice(0, 12)}…)</li>`,
    )
    .join('');
  $('#detail').hidden = false;
  $('#detail').innerHTML = `
    <h3>${html(d.title)}</h3>
    <p class="doc-number">${html(d.registrationNo ?? d.docNumber ?? '')}</p>
    <p>${html(d.docType)} · ${html(d.classificationLabel)} · <span class="${d.urgency}">${html(d.urgencyLabel)}</span> · ${html(d.statusLabel)}</p>
    ${d.direction === 'incoming' ? `<p>来文单位 · From: ${html(d.sourceOrg)} ${html(d.sourceNumber ?? '')} · 承办 · Undertaker: ${html(d.undertaker ?? '—')}</p>` : `<p>主送 · To: ${html(d.mainRecipients.join('、'))} · 会签 · Countersign: ${html(d.countersignDepartments.join('、') || '—')}</p>`}
    <div>${buttons}</div>
    <form id="upload">
      <label>上传 · Upload <select name="kind"><option value="body">正文 · Body</option><option value="attachment">附件 · Attachment</option></select>
      <input type="file" name="file" required></label>
      <button type="submit">上传 · Upload</button>
    </form>
    <ul>${files || '<li>无文件 · No files</li>'}</ul>
    <h4>办理记录 · Record</h4>
    <ol>${d.steps.map((s) => `<li>${new Date(s.at).toLocaleString()} · ${html(s.action)} · ${html(s.actor)}${s.department ? ` (${html(s.department)})` : ''}${s.opinion ? `：${html(s.opinion)}` : ''}</li>`).join('')}</ol>`;
}

$('#detail').addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-action]');
  if (!button || !current) return;
  const action = button.dataset.action;
  const body = askFor(meta.chains[current.direction][action]);
  if (!body) return;
  try {
    await post(`api/documents/${current.id}/actions/${action}`, body);
    say('已办理 · Done');
    await Promise.all([showDetail(current.id), loadDocuments()]);
  } catch (error) {
    say(error.message);
  }
});

$('#detail').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const file = form.get('file');
  try {
    const query = new URLSearchParams({ kind: form.get('kind'), fileName: file.name });
    await api(`api/documents/${current.id}/attachments?${query}`, {
      method: 'POST',
      headers: { 'content-type': file.type || 'application/octet-stream' },
      body: file,
    });
    say('已上传 · Uploaded');
    await showDetail(current.id);
  } catch (error) {
    say(error.message);
  }
});

$('#documents').addEventListener('click', (event) => {
  const row = event.target.closest('tr[data-id]');
  if (row) showDetail(row.dataset.id).catch((error) => say(error.message));
});

$('#incoming').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = Object.fromEntries(new FormData(event.target));
  for (const key of ['sourceNumber', 'dueOn']) if (!form[key]) delete form[key];
  try {
    const doc = await post('api/documents/incoming', form);
    event.target.reset();
    say(`已登记 ${doc.registrationNo} · Registered`);
    await Promise.all([loadDocuments(), showDetail(doc.id)]);
  } catch (error) {
    say(error.message);
  }
});

$('#outgoing').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = Object.fromEntries(new FormData(event.target));
  try {
    const doc = await post('api/documents/outgoing', {
      ...form,
      mainRecipients: list(form.mainRecipients),
      ccRecipients: list(form.ccRecipients),
      countersignDepartments: list(form.countersignDepartments),
    });
    event.target.reset();
    say('已拟稿，请上传正文后送核 · Draft created; upload the body text, then submit');
    await Promise.all([loadDocuments(), showDetail(doc.id)]);
  } catch (error) {
    say(error.message);
  }
});

$('#refresh').addEventListener('click', () => loadDocuments().catch((error) => say(error.message)));
$('#direction').addEventListener('change', () =>
  loadDocuments().catch((error) => say(error.message)),
);

loadMeta()
  .then(loadDocuments)
  .catch((error) => say(error.message));
