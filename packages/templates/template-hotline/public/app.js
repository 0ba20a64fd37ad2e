// The work-order desk. Every URL is relative (`api/...`), so the page works both at the
// app's own host and under the platform's path prefix /apps/<tenant>/<app>/.
const $ = (selector) => document.querySelector(selector);
let meta;
let current = null;

const html = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function say(text) {
  $('#message').textContent = text;
  if (text) setTimeout(() => ($('#message').textContent = ''), 5000);
}

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: options.body ? { 'content-type': 'application/json' } : {},
  });
  const data = await response.json();
  if (!response.ok) throw new Error(`${data.title}: ${data.detail}`);
  return data;
}

const options = (entries) =>
  entries
    .map(([value, label]) => `<option value="${html(value)}">${html(label)}</option>`)
    .join('');

const timerBadge = (timer) =>
  timer ? `<span class="badge ${timer.state}">${html(timer.stateLabel)}</span>` : '—';

async function loadMeta() {
  meta = await api('api/meta');
  $('#channel').innerHTML = options(Object.entries(meta.channels));
  $('#category').innerHTML = options(
    meta.categories.map((c) => [c.code, `${c.name}（${c.handleDays} 工作日 · working days）`]),
  );
  $('#filter-status').innerHTML += options(Object.entries(meta.statuses));
  $('#filter-timer').innerHTML += options(Object.entries(meta.timerStates));
}

async function loadOrders() {
  const query = new URLSearchParams({ limit: '50' });
  if ($('#filter-status').value) query.set('status', $('#filter-status').value);
  if ($('#filter-timer').value) query.set('timer', $('#filter-timer').value);
  const { items } = await api(`api/work-orders?${query}`);
  $('#orders').innerHTML =
    items
      .map(
        (o) => `<tr data-id="${o.id}"><td>${html(o.no)}</td><td>${html(o.categoryName)}</td>
        <td>${html(o.statusLabel)}</td><td>${timerBadge(o.timer)}</td>
        <td>${html(o.departmentName ?? '—')}</td><td>${o.supervisionCount}</td></tr>`,
      )
      .join('') || '<tr><td colspan="6">暂无工单 · No work orders</td></tr>';
}

/** What each action asks for before it is sent. */
function askFor(action) {
  const body = {};
  const rule = meta.actions[action];
  for (const field of rule.requires) {
    if (field === 'department') {
      const list = meta.departments.map((d) => `${d.code} = ${d.name}`).join('\n');
      body.department = prompt(`承办单位代码 · Department code:\n${list}`);
    } else if (field === 'rating') {
      body.rating = Number(prompt('满意度 1–5 · Satisfaction 1–5'));
      const comment = prompt('回访意见（可空）· Comment (optional)');
      if (comment) body.comment = comment;
    } else {
      const labels = { reason: '理由 · Reason', reply: '答复内容 · Reply' };
      body[field] = prompt(labels[field] ?? field);
    }
    if (body[field] === null || body[field] === '') return null;
  }
  return body;
}

async function showDetail(id) {
  const o = await api(`api/work-orders/${id}`);
  const { items: events } = await api(`api/work-orders/${id}/events`);
  current = o;
  const actions = o.allowedActions
    .map((a) => `<button data-action="${a}">${html(meta.actions[a].label)}</button>`)
    .join('');
  const open = ['accepted', 'dispatched', 'handling', 'returned'].includes(o.status);
  $('#detail').hidden = false;
  $('#detail').innerHTML = `
    <h2>${html(o.no)} <small>${html(o.statusLabel)}</small> ${timerBadge(o.timer)}</h2>
    <p>${html(o.content)}</p>
    <p>📍 ${html(o.location)} · ☎ ${html(o.citizen.phone)} ${html(o.citizen.name ?? '')} · ${html(o.categoryName)}${o.urgent ? ' · <b>紧急 · Urgent</b>' : ''}</p>
    <p>派单时限 · Dispatch by: ${new Date(o.dispatchDueAt).toLocaleString()} · 办理时限 · Handle by: ${new Date(o.handleDueAt).toLocaleString()}</p>
    ${o.reply ? `<p>答复 · Reply: ${html(o.reply)}</p>` : ''}
    ${o.rating ? `<p>满意度 · Rating: ${'★'.repeat(o.rating)}</p>` : ''}
    <div>${actions}${open ? '<button class="secondary" data-supervise>督办 · Supervise</button>' : ''}</div>
    <h3>流转记录 <small>History</small></h3>
    <ol class="history">${o.history.map((h) => `<li>${new Date(h.at).toLocaleString()} · ${html(h.action)} · ${html(h.actor)}${h.note ? ` · ${html(h.note)}` : ''}</li>`).join('')}</ol>
    <h3>通知 <small>Notices (from the worker)</small></h3>
    <ol class="history">${events.map((e) => `<li>${html(e.recipient)}: ${html(e.notice)}</li>`).join('') || '<li>—</li>'}</ol>`;
}

$('#detail').addEventListener('click', async (event) => {
  const button = event.target.closest('button');
  if (!button || !current) return;
  try {
    if (button.dataset.supervise !== undefined) {
      const note = prompt('督办意见 · Supervision note');
      if (!note) return;
      await api(`api/work-orders/${current.id}/supervise`, {
        method: 'POST',
        body: JSON.stringify({ note }),
      });
    } else {
      const body = askFor(button.dataset.action);
      if (!body) return;
      await api(`api/work-orders/${current.id}/actions/${button.dataset.action}`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
    }
    say('已保存 · Saved');
    await Promise.all([showDetail(current.id), loadOrders()]);
  } catch (error) {
    say(error.message);
  }
});

$('#orders').addEventListener('click', (event) => {
  const row = event.target.closest('tr[data-id]');
  if (row) showDetail(row.dataset.id).catch((error) => say(error.message));
});

$('#intake').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const citizen = { phone: form.get('phone') };
  if (form.get('name')) citizen.name = form.get('name');
  try {
    const order = await api('api/work-orders', {
      method: 'POST',
      body: JSON.stringify({
        channel: form.get('channel'),
        category: form.get('category'),
        citizen,
        location: form.get('location'),
        content: form.get('content'),
        urgent: form.get('urgent') === 'on',
      }),
    });
    event.target.reset();
    say(`已受理 ${order.no} · Accepted`);
    await Promise.all([loadOrders(), showDetail(order.id)]);
  } catch (error) {
    say(error.message);
  }
});

$('#refresh').addEventListener('click', () => loadOrders().catch((error) => say(error.message)));
$('#filter-status').addEventListener('change', () =>
  loadOrders().catch((error) => say(error.message)),
);
$('#filter-timer').addEventListener('change', () =>
  loadOrders().catch((error) => say(error.message)),
);

loadMeta()
  .then(loadOrders)
  .catch((error) => say(error.message));
