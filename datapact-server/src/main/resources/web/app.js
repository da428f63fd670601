// DataPact web UI shell: hash routes, one page per role, plain ES module (no build step).
// Every value from the API is inserted with textContent, never as HTML.

const main = document.getElementById('main');
let me = null; // the signed-in caller, or null

/** Creates an element with attributes and children (strings become text nodes). */
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'onclick') e.addEventListener('click', v);
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

/** Fetches JSON; throws an Error carrying the problem document's detail on failure. */
async function api(path, options = {}) {
  const res = await fetch(path, { credentials: 'same-origin', ...options,
    headers: { 'Accept': 'application/json', ...(options.body ? { 'Content-Type': 'application/json' } : {}) } });
  if (res.status === 204) return null;
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new Error(body.detail || body.title || `HTTP ${res.status}`);
    err.status = res.status;
    throw err;
  }
  return body;
}

function problem(err) {
  return el('div', { class: 'problem', role: 'alert' }, err.message);
}

function show(...nodes) {
  main.replaceChildren(...nodes);
}

async function refreshWho() {
  try { me = await api('/api/v1/me'); } catch { me = null; }
  const who = document.getElementById('who');
  if (me) {
    who.replaceChildren(
      el('span', { id: 'signed-in-as' }, `${me.displayName} · ${me.role}`),
      el('button', { class: 'link', id: 'signout', onclick: signOut }, 'Sign out'));
  } else {
    who.replaceChildren(el('a', { href: '#/login', id: 'signin' }, 'Sign in'));
  }
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('mine', !!me && a.dataset.role === me.role);
  }
}

async function signOut() {
  await api('/api/v1/session', { method: 'DELETE' });
  await refreshWho();
  location.hash = '#/login';
}

const homeOf = { user: '#/me', partner: '#/partner', operator: '#/operator', regulator: '#/regulator' };

async function loginPage() {
  let cast;
  try { cast = await api('/api/v1/demo/cast'); } catch (e) { return show(el('h1', {}, 'Sign in'), problem(e)); }
  const card = m => el('div', { class: 'card', 'data-handle': m.handle },
    el('span', { class: 'role' }, m.role + (m.party ? ` · ${m.party}` : '')),
    el('strong', {}, m.displayName),
    el('span', { class: 'muted' }, m.demonstrates),
    el('button', { id: `login-${m.handle}`, onclick: () => login(m.handle) }, `Sign in as ${m.displayName.split(' ')[0]}`));
  show(
    el('h1', {}, 'Demo sign-in'),
    el('p', { class: 'muted' }, 'Pick a member of the demo cast. Each one shows a different part of the story.'),
    el('div', { class: 'cards' }, cast.members.map(card)));
}

async function login(handle) {
  try {
    const caller = await api('/api/v1/session/demo', { method: 'POST', body: JSON.stringify({ handle }) });
    await refreshWho();
    location.hash = homeOf[caller.role] || '#/';
  } catch (e) {
    main.prepend(problem(e));
  }
}

function needRole(role) {
  return [el('h1', {}, 'Sign in needed'),
    el('p', {}, `This page is for the ${role} role. `, el('a', { href: '#/login' }, 'Sign in'), ' as one.')];
}

function facts(pairs) {
  return el('dl', { class: 'facts' }, pairs.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

async function mePage() {
  if (!me || me.role !== 'user') return show(...needRole('user'));
  try {
    const p = await api('/api/v1/me/profile');
    show(el('h1', { id: 'profile-name' }, p.displayName),
      el('p', { class: 'muted' }, 'Your data on the platform. Who read it, and why, appears here as sharing is enabled.'),
      facts([['Handle', p.handle], ['Country', p.country], ['Friends', p.friends], ['Inbox threads', p.threads]]));
  } catch (e) { show(problem(e)); }
}

async function partnerPage() {
  if (!me || me.role !== 'partner') return show(...needRole('partner'));
  try {
    const p = await api('/api/v1/partner/profile');
    show(el('h1', {}, p.displayName), el('p', { class: 'muted' }, p.description),
      facts([['Partner id', p.party], ['OAuth2 clients', p.clientIds.join(', ')]]));
  } catch (e) { show(problem(e)); }
}

async function worldPage(role) {
  if (!me || me.role !== role) return show(...needRole(role));
  try {
    const w = await api('/api/v1/world');
    const max = Math.max(...w.usersByCountry.map(c => c.users));
    show(el('h1', {}, role === 'operator' ? 'Operator console' : 'Regulator view'),
      facts([['Users', w.users.toLocaleString('en')], ['Seed', w.seed ?? '—'], ['Generated', w.generatedAt ?? '—']]),
      el('h2', {}, 'Partners and internal units'),
      el('table', {}, el('tr', {}, el('th', {}, 'Id'), el('th', {}, 'Kind'), el('th', {}, 'Description')),
        w.parties.map(p => el('tr', {}, el('td', {}, p.id), el('td', {}, p.kind), el('td', {}, p.description)))),
      el('h2', {}, 'Users by country'),
      el('table', { id: 'by-country' }, el('tr', {}, el('th', {}, 'Country'), el('th', { class: 'num' }, 'Users'), el('th', {}, '')),
        w.usersByCountry.map(c => el('tr', {}, el('td', {}, c.country), el('td', { class: 'num' }, c.users.toLocaleString('en')),
          el('td', {}, el('span', { class: 'bar', style: `width:${Math.round(200 * c.users / max)}px` }))))));
  } catch (e) { show(problem(e)); }
}

function homePage() {
  show(el('h1', {}, 'DataPact'),
    el('p', {}, 'DataPact governs how the platform shares user data with partner companies and its own units. ',
      'Every release passes one decision point — signed agreement, the user\'s consent, the law of the user\'s country, ',
      'and the restrictions that follow the data — and is logged before it is released.'),
    me ? el('p', {}, 'Signed in as ', el('strong', {}, me.displayName), '. ', el('a', { href: homeOf[me.role] }, 'Go to your page'), '.')
      : el('p', {}, el('a', { href: '#/login' }, 'Sign in'), ' as a member of the demo cast to look around.'));
}

const routes = {
  '': homePage, '#/': homePage, '#/login': loginPage, '#/me': mePage, '#/partner': partnerPage,
  '#/operator': () => worldPage('operator'), '#/regulator': () => worldPage('regulator'),
};

async function render() {
  const page = routes[location.hash] || (() => show(el('h1', {}, 'Not found'), el('p', {}, 'No such page. '), el('a', { href: '#/' }, 'Home')));
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.getAttribute('href') === location.hash);
  await page();
}

window.addEventListener('hashchange', render);
refreshWho().then(render);
