// 数据共享页面 · Data-sharing web page. Every URL is relative so the page works under any path prefix.

const $ = (selector) => document.querySelector(selector);

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

// The admin token lives only in this tab's session storage.
const adminToken = () => sessionStorage.getItem('adminToken') ?? '';

async function api(path, { method = 'GET', json, headers = {} } = {}) {
  const init = { method, headers: { ...headers } };
  if (json !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(json);
  }
  const response = await fetch(path, init);
  if (response.status === 204) return { response, body: null };
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const extra = body.errors
      ? ` (${body.errors.map((e) => `${e.path}: ${e.message}`).join('; ')})`
      : '';
    show(`${body.title ?? response.status}: ${body.detail ?? ''}${extra}`);
    throw new Error(body.code ?? String(response.status));
  }
  $('#message').hidden = true;
  return { response, body };
}

const admin = (path, options = {}) =>
  api(path, { ...options, headers: { authorization: `Bearer ${adminToken()}` } }).then(
    (r) => r.body,
  );

const SHARE = { conditional: '有条件 · conditional', unconditional: '无条件 · unconditional' };

async function loadAdmin() {
  const [datasets, consumers, logs] = await Promise.all([
    admin('api/admin/datasets'),
    admin('api/admin/consumers'),
    admin('api/admin/call-logs?limit=50'),
  ]);
  $('#datasets tbody').replaceChildren(
    ...datasets.items.map((d) =>
      el(
        'tr',
        {},
        el('td', {}, d.id),
        el('td', {}, d.name, el('div', { class: 'muted' }, d.source)),
        el('td', {}, SHARE[d.shareType]),
        el('td', {}, String(d.version)),
        el(
          'td',
          {},
          el(
            'button',
            {
              type: 'button',
              onclick: async () => {
                await admin(`api/admin/datasets/${d.id}/purge-cache`, { method: 'POST' });
                loadAdmin();
              },
            },
            '清缓存 · Purge cache',
          ),
        ),
      ),
    ),
  );
  $('#consumers tbody').replaceChildren(
    ...consumers.items.map((c) =>
      el(
        'tr',
        {},
        el('td', {}, c.name, el('div', { class: 'muted' }, c.department)),
        el('td', {}, c.active ? `${c.keyPrefix}…` : '已停用 · revoked'),
        el('td', {}, String(c.rateLimitPerMinute)),
        el(
          'td',
          {},
          c.active
            ? el(
                'button',
                {
                  type: 'button',
                  onclick: async () => {
                    const rotated = await admin(`api/admin/consumers/${c.id}/rotate-key`, {
                      method: 'POST',
                    });
                    showKey(rotated.apiKey);
                    loadAdmin();
                  },
                },
                '换密钥 · Rotate',
              )
            : null,
          c.active
            ? el(
                'button',
                {
                  type: 'button',
                  onclick: async () => {
                    await admin(`api/admin/consumers/${c.id}`, { method: 'DELETE' });
                    loadAdmin();
                  },
                },
                '停用 · Revoke',
              )
            : null,
        ),
      ),
    ),
  );
  $('#grant-consumer').replaceChildren(
    ...consumers.items.filter((c) => c.active).map((c) => el('option', { value: c.id }, c.name)),
  );
  $('#grant-dataset').replaceChildren(
    ...datasets.items
      .filter((d) => d.shareType === 'conditional')
      .map((d) => el('option', { value: d.id }, d.name)),
  );
  $('#logs tbody').replaceChildren(
    ...logs.items.map((l) =>
      el(
        'tr',
        {},
        el('td', {}, new Date(l.at).toLocaleString('zh-CN')),
        el('td', {}, l.consumerName ?? '（无效密钥 · invalid key）'),
        el('td', {}, l.datasetId ?? ''),
        el('td', {}, String(l.status)),
        el('td', {}, String(l.rows)),
        el('td', {}, l.cached ? 'HIT' : ''),
      ),
    ),
  );
}

function showKey(key) {
  $('#new-key').replaceChildren(
    el('p', {}, '请立即复制，密钥只显示这一次 · Copy it now: the key is shown only once'),
    el('div', { class: 'key' }, key),
  );
}

$('#token-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  sessionStorage.setItem('adminToken', new FormData(event.target).get('token'));
  await loadAdmin();
  show('已登录 · Signed in', true);
});

$('#dataset-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = Object.fromEntries(new FormData(event.target));
  const columns = data.columns
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  await admin('api/admin/datasets', {
    method: 'POST',
    json: {
      id: data.id,
      name: data.name,
      source: data.source,
      shareType: data.shareType,
      ...(columns.length ? { columns } : {}),
    },
  });
  show('已登记 · Registered', true);
  loadAdmin();
});

$('#consumer-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = Object.fromEntries(new FormData(event.target));
  const created = await admin('api/admin/consumers', {
    method: 'POST',
    json: {
      name: data.name,
      department: data.department,
      rateLimitPerMinute: Number(data.rateLimitPerMinute),
    },
  });
  showKey(created.apiKey);
  loadAdmin();
});

$('#grant-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = Object.fromEntries(new FormData(event.target));
  await admin(`api/admin/consumers/${data.consumerId}/grants/${data.datasetId}`, {
    method: 'PUT',
    json: { purpose: data.purpose },
  });
  show('已授权 · Granted', true);
});

async function consumerCall(path) {
  const key = new FormData($('#query-form')).get('key');
  const { response, body } = await api(path, { headers: { 'x-api-key': key } });
  $('#result').textContent =
    `X-Cache: ${response.headers.get('x-cache') ?? '-'}\n${JSON.stringify(body, null, 2)}`;
}

$('#query-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const data = Object.fromEntries(new FormData(event.target));
  const params = new URLSearchParams(data.filters);
  params.set('page', data.page || '1');
  consumerCall(`api/v1/datasets/${encodeURIComponent(data.dataset)}/rows?${params}`).catch(
    () => {},
  );
});
$('#list-button').addEventListener('click', () => consumerCall('api/v1/datasets').catch(() => {}));

for (const button of document.querySelectorAll('nav button')) {
  button.addEventListener('click', () => {
    for (const b of document.querySelectorAll('nav button'))
      b.classList.toggle('active', b === button);
    for (const tab of document.querySelectorAll('.tab')) tab.hidden = tab.id !== button.dataset.tab;
  });
}

if (adminToken()) loadAdmin().catch(() => {});
