// 行政审批页面 · Approval web page. Every URL is relative so the page works under any path prefix.

const $ = (selector, root = document) => root.querySelector(selector);

/** Creates an element: el('td', { class: 'x' }, 'text', child). */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (value !== undefined && value !== null) node.setAttribute(name, value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

function show(text, ok = false) {
  const box = $('#message');
  box.textContent = text;
  box.className = ok ? 'ok' : '';
  box.hidden = false;
}

/** fetch + JSON + problem+json errors shown to the user. */
async function api(path, options = {}) {
  const init = { ...options };
  if (options.json !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(options.json);
  }
  const response = await fetch(path, init);
  if (response.status === 204) return null;
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const extra = body.errors ? ` (${body.errors.map((e) => e.message).join('; ')})` : '';
    show(`${body.title ?? response.status}: ${body.detail ?? ''}${extra}`);
    throw new Error(body.code ?? String(response.status));
  }
  $('#message').hidden = true;
  return body;
}

let workflow = { statuses: {}, actions: {} };
let matters = [];

// Which text the staff must give for an action, and how to ask for it.
const FIELD_LABELS = {
  note: '补正告知内容 · What to correct',
  reason: '理由 · Reason',
  opinion: '审查意见 · Review opinion',
  deliveryMethod: '送达方式 · Delivery method',
};

function applicationCard(app, { staff }) {
  const matter = matters.find((m) => m.id === app.matterId);
  const card = el(
    'div',
    { class: 'card' },
    el('h3', {}, `${app.no} · ${app.matterName}`),
    el(
      'p',
      {},
      el('span', { class: 'status' }, app.statusLabel),
      app.dueDate
        ? el(
            'span',
            { class: app.overdue ? 'overdue' : 'muted' },
            `  办结期限 · due ${app.dueDate}${app.overdue ? ' 已超期 · overdue' : ''}`,
          )
        : null,
    ),
    el('p', { class: 'muted' }, `ID: ${app.id}`),
    el(
      'p',
      {},
      `申请人 · Applicant: ${app.applicant.name} (${app.applicant.idNumber}) ${app.applicant.phone}`,
    ),
    app.correctionNote
      ? el('p', { class: 'overdue' }, `需补正 · Please correct: ${app.correctionNote}`)
      : null,
    app.decision
      ? el(
          'p',
          {},
          `决定 · Decision: ${app.decision === 'approved' ? '准予 · approved' : '不予 · rejected'} — ${app.decisionReason}`,
        )
      : null,
  );

  const list = el('ul');
  for (const file of app.attachments) {
    const name =
      matter?.materials.find((m) => m.key === file.materialKey)?.name ?? file.materialKey;
    const editable = !staff && app.allowedActions.some((a) => a === 'submit' || a === 'resubmit');
    list.append(
      el(
        'li',
        {},
        el('a', { href: `api/applications/${app.id}/attachments/${file.id}` }, file.fileName),
        ` — ${name} (${file.sizeBytes} B)`,
        editable
          ? el(
              'button',
              {
                type: 'button',
                onclick: async () => {
                  await api(`api/applications/${app.id}/attachments/${file.id}`, {
                    method: 'DELETE',
                  });
                  render(app.id, staff);
                },
              },
              '删除 · Remove',
            )
          : null,
      ),
    );
  }
  card.append(el('h4', {}, '材料 · Materials'), list);

  if (!staff && app.allowedActions.some((a) => a === 'submit' || a === 'resubmit')) {
    for (const material of matter?.materials ?? []) {
      const input = el('input', { type: 'file' });
      card.append(
        el(
          'div',
          { class: 'actions' },
          el('label', {}, `${material.name}${material.required ? ' *' : ''}`, input),
          el(
            'button',
            {
              type: 'button',
              onclick: async () => {
                const file = input.files[0];
                if (!file) return show('请选择文件 · Choose a file');
                await api(
                  `api/applications/${app.id}/attachments?material=${encodeURIComponent(material.key)}&fileName=${encodeURIComponent(file.name)}`,
                  {
                    method: 'POST',
                    headers: { 'content-type': file.type || 'application/octet-stream' },
                    body: file,
                  },
                );
                render(app.id, staff);
              },
            },
            '上传 · Upload',
          ),
        ),
      );
    }
  }

  const applicantActions = ['submit', 'resubmit'];
  const actions = app.allowedActions.filter((a) => staff !== applicantActions.includes(a));
  if (actions.length) {
    const box = el('div', { class: 'actions' });
    for (const action of actions) {
      const rule = workflow.actions[action];
      const fields = rule.requires.map((field) =>
        el('input', { placeholder: FIELD_LABELS[field], 'data-field': field }),
      );
      box.append(
        el(
          'div',
          {},
          ...fields,
          el(
            'button',
            {
              type: 'button',
              onclick: async () => {
                const body = {};
                for (const input of fields) body[input.dataset.field] = input.value;
                await api(`api/applications/${app.id}/actions/${action}`, {
                  method: 'POST',
                  json: body,
                });
                show(`${rule.label} ✓`, true);
                render(app.id, staff);
                if (staff) loadList();
              },
            },
            rule.label,
          ),
        ),
      );
    }
    card.append(el('h4', {}, '办理 · Actions'), box);
  }

  const rows = app.history.map((h) =>
    el(
      'tr',
      {},
      el('td', {}, new Date(h.at).toLocaleString('zh-CN')),
      el('td', {}, h.action),
      el('td', {}, workflow.statuses[h.toStatus] ?? h.toStatus),
      el('td', {}, h.actor),
      el('td', {}, h.comment ?? ''),
    ),
  );
  card.append(
    el('h4', {}, '办理记录 · History'),
    el(
      'table',
      {},
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ...['时间 · Time', '操作 · Action', '状态 · Status', '经办 · By', '意见 · Comment'].map(
            (t) => el('th', {}, t),
          ),
        ),
      ),
      el('tbody', {}, ...rows),
    ),
  );
  return card;
}

async function render(id, staff) {
  const app = await api(`api/applications/${id}`);
  const target = staff ? $('#staff-application') : $('#my-application');
  target.replaceChildren(applicationCard(app, { staff }));
}

async function loadList() {
  const status = $('#status-select').value;
  const page = await api(`api/applications?limit=100${status ? `&status=${status}` : ''}`);
  $('#application-list tbody').replaceChildren(
    ...page.items.map((a) =>
      el(
        'tr',
        { onclick: () => render(a.id, true) },
        el('td', {}, a.no),
        el('td', {}, a.matterName),
        el('td', {}, `${a.applicant.name} ${a.applicant.idNumber}`),
        el('td', {}, a.statusLabel),
        el('td', { class: a.overdue ? 'overdue' : '' }, a.dueDate ?? ''),
      ),
    ),
  );
}

function showMatter() {
  const matter = matters.find((m) => m.id === $('#matter-select').value);
  if (!matter) return;
  $('#matter-info').replaceChildren(
    el(
      'p',
      {},
      `${matter.agency} · ${matter.kind} · 法定时限 ${matter.timeLimitDays} 个工作日 · statutory limit ${matter.timeLimitDays} working days · 承诺 ${matter.promisedDays} 日 · promised ${matter.promisedDays}`,
    ),
    el('p', {}, `依据 · Legal basis: ${matter.legalBasis}`),
    el(
      'ul',
      {},
      ...matter.materials.map((m) => el('li', {}, `${m.name}${m.required ? ' *' : ''}`)),
    ),
  );
}

async function start() {
  workflow = await api('api/workflow');
  matters = (await api('api/matters')).items;
  $('#matter-select').replaceChildren(...matters.map((m) => el('option', { value: m.id }, m.name)));
  $('#status-select').append(
    ...Object.entries(workflow.statuses).map(([k, v]) => el('option', { value: k }, v)),
  );
  showMatter();
  $('#matter-select').addEventListener('change', showMatter);

  $('#apply-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(event.target));
    const created = await api('api/applications', {
      method: 'POST',
      json: {
        matterId: data.matterId,
        applicant: {
          type: data.type,
          name: data.name,
          idNumber: data.idNumber.toUpperCase(),
          phone: data.phone,
        },
      },
    });
    show(
      `已创建办件 ${created.no}，请上传材料后申报 · Created ${created.no}; upload the materials, then submit`,
      true,
    );
    render(created.id, false);
  });
  $('#lookup-form').addEventListener('submit', (event) => {
    event.preventDefault();
    render(new FormData(event.target).get('id').trim(), false);
  });
  $('#filter-form').addEventListener('submit', (event) => {
    event.preventDefault();
    loadList();
  });
  for (const button of document.querySelectorAll('nav button')) {
    button.addEventListener('click', () => {
      for (const b of document.querySelectorAll('nav button'))
        b.classList.toggle('active', b === button);
      for (const tab of document.querySelectorAll('.tab'))
        tab.hidden = tab.id !== button.dataset.tab;
      if (button.dataset.tab === 'staff') loadList();
    });
  }
}

start().catch(() => {});
