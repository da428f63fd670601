// DataPact web UI shell: hash routes, one page per role, plain ES module (no build step).
// Every value from the API is inserted with textContent, never as HTML.
import { verifyEntry, verifyNote, verifyConsistency, verifyCosignature, base64, fromBase64, toHex, same } from '/verify.js';

const main = document.getElementById('main');
let me = null; // the signed-in caller, or null

/** Creates an element with attributes and children (strings become text nodes). */
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v); // never an inline handler (the CSP refuses them)
    else if (k === 'style') e.style.cssText = v; // CSSOM: allowed by the CSP, which refuses style attributes
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
    err.body = body;
    throw err;
  }
  return body;
}

function problem(err) {
  return el('div', { class: 'problem', role: 'alert' }, err.message);
}

let renderId = 0; // counts renders: a page may only show what it loaded if no render started since

/**
 * @return a function that replaces the page's content, unless another render has started since
 *     this one (the user navigated on while this page was loading). Each page takes one first.
 */
function view() {
  const id = renderId;
  return (...nodes) => { if (id === renderId) main.replaceChildren(...nodes); };
}

/** Replaces the page now (for handlers outside a render). */
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
  const show = view();
  let cast;
  try { cast = await api('/api/v1/demo/cast'); } catch (e) {
    // not the demo: sign in through the organisation's OpenID Connect provider, when configured
    try {
      const oidc = await api('/api/v1/session/oidc');
      return show(el('h1', {}, 'Sign in'),
        el('p', { class: 'muted' }, `You sign in with your account at ${oidc.issuer}; DataPact never sees your password.`),
        el('p', {}, el('a', { class: 'button', id: 'oidc-login', href: oidc.login }, 'Sign in with your account')));
    } catch { return show(el('h1', {}, 'Sign in'), problem(e)); }
  }
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
  const show = view();
  if (!me || me.role !== 'user') return show(...needRole('user'));
  try {
    const [p, c, receipts] = await Promise.all([api('/api/v1/me/profile'), api('/api/v1/me/consents'), api('/api/v1/me/receipts')]);
    show(el('h1', { id: 'profile-name' }, p.displayName),
      el('p', { class: 'muted' }, 'Your data on the platform, and who may use it for what.'),
      facts([['Handle', p.handle], ['Country', p.country], ['Rules that apply', c.jurisdiction], ['Friends', p.friends], ['Inbox threads', p.threads]]),
      el('p', {}, el('a', { href: '#/me/ledger' }, 'My record in the ledger')),
      consentTable(c),
      el('h2', {}, 'Consent receipts'),
      el('p', { class: 'muted' }, 'A signed receipt for every grant and revocation, naming the ledger entry that recorded it. Anyone can check one with the public key at ',
        el('a', { href: '/api/v1/ledger/receipt-key' }, '/api/v1/ledger/receipt-key'), ', e.g. ', el('code', {}, 'datapact receipt verify --key receipts.jwk receipt.jws'), '.'),
      receipts.length
        ? el('table', { id: 'receipts' }, el('tr', {}, ...['When (UTC)', 'Change', 'Who', 'Ledger entry', ''].map(h => el('th', {}, h))),
          receipts.slice(0, 20).map(r => el('tr', {}, el('td', {}, r.at.slice(0, 19).replace('T', ' ')), el('td', {}, `${r.action} ${label(r.topic)}`),
            el('td', {}, r.party), el('td', { class: 'num' }, String(r.ledgerIndex)),
            el('td', {}, el('a', { href: r.href, download: `consent-receipt-${r.ledgerIndex}.jws`, id: `receipt-${r.ledgerIndex}` }, 'download')))))
        : el('p', { class: 'muted', id: 'receipts' }, 'No receipts yet.'),
      el('h2', {}, 'Consent history'),
      historyTable(c.history));
  } catch (e) { show(problem(e)); }
}

function label(topic) { return topic.replace(/_/g, ' '); }

function consentTable(c) {
  const granted = new Set(c.consents.map(x => `${x.party}|${x.topic}`));
  const topics = [...new Set(c.options.flatMap(o => o.topics))];
  const table = el('table', { id: 'consents' },
    el('tr', {}, el('th', {}, 'Who'), topics.map(t => el('th', {}, label(t)))));
  for (const o of c.options) {
    table.append(el('tr', {}, el('td', {}, o.displayName),
      topics.map(t => {
        if (!o.topics.includes(t)) return el('td', { class: 'muted' }, '—');
        const box = el('input', { type: 'checkbox', id: `consent-${o.party}-${t}`, 'aria-label': `${o.displayName}: ${label(t)}` });
        box.checked = granted.has(`${o.party}|${t}`);
        box.addEventListener('change', async () => {
          box.disabled = true;
          try {
            await api(`/api/v1/me/consents/${encodeURIComponent(o.party)}/${encodeURIComponent(t)}`, { method: box.checked ? 'PUT' : 'DELETE' });
            await render();
          } catch (e) { box.checked = !box.checked; box.disabled = false; main.prepend(problem(e)); }
        });
        return el('td', {}, box);
      })));
  }
  return el('div', {}, el('h2', {}, 'Consents'),
    el('p', { class: 'muted' }, c.explicitConsentRequired
      ? 'Your country\'s rules count only consents you give here explicitly. A change applies to the very next request.'
      : 'A change applies to the very next request.'),
    table);
}

function historyTable(history) {
  if (!history.length) return el('p', { class: 'muted', id: 'history' }, 'No consent given or revoked yet.');
  return el('table', { id: 'history' }, el('tr', {}, el('th', {}, 'When'), el('th', {}, 'What'), el('th', {}, 'To'), el('th', {}, 'For'), el('th', {}, 'How')),
    [...history].reverse().map(h => el('tr', {}, el('td', {}, h.at.slice(0, 10)), el('td', {}, h.action), el('td', {}, h.party),
      el('td', {}, label(h.topic)), el('td', {}, `${h.basis} · ${h.source}`))));
}

const STATUS_COLOURS = { active: '#1f7a4d', expired: '#8a94a6', suspended: '#b54708', terminated: '#b42318', pending_approval: '#c8a400', draft: '#c9ced8' };

/** Horizontal timeline: one row per version, a bar per status period, 2010 to next year. */
function timeline(agreements) {
  const start = Date.parse('2010-01-01'), end = Date.now() + 365 * 864e5, width = 560;
  const x = t => Math.round(width * (Date.parse(t) - start) / (end - start));
  const rows = [];
  for (const a of agreements) {
    for (const v of a.versions) {
      const bars = v.history.map((h, i) => {
        const until = i + 1 < v.history.length ? v.history[i + 1].at : new Date(end).toISOString();
        return el('span', { class: 'seg', title: `${h.status} from ${h.at.slice(0, 10)} (${h.by})`,
          style: `left:${x(h.at)}px;width:${Math.max(2, x(until) - x(h.at))}px;background:${STATUS_COLOURS[h.status] || '#999'}` });
      });
      rows.push(el('tr', {},
        el('td', {}, el('a', { href: `#/agreements/${a.agreementId}/${v.version}` }, `${a.agreementId} v${v.version}`)),
        el('td', {}, v.title), el('td', {}, v.statusNow.replace('_', ' ')),
        el('td', {}, el('div', { class: 'track', style: `width:${width}px` }, bars))));
    }
  }
  const years = [];
  for (let y = 2010; y <= new Date().getFullYear() + 1; y += 2) years.push(el('span', { class: 'tick', style: `left:${x(`${y}-01-01`)}px` }, String(y)));
  return el('table', { id: 'agreements' },
    el('tr', {}, el('th', {}, 'Version'), el('th', {}, 'Title'), el('th', {}, 'Now'), el('th', {}, el('div', { class: 'track axis', style: `width:${width}px` }, years))),
    rows);
}

async function agreementsPage() {
  const show = view();
  if (!me || !['operator', 'regulator', 'partner'].includes(me.role)) return show(...needRole('operator, regulator or partner'));
  try {
    const list = await api('/api/v1/agreements');
    show(el('h1', {}, 'Agreements'),
      el('p', { class: 'muted' }, 'Every version with its lifecycle. Decisions at a time use the version active then; history is never rewritten.'),
      timeline(list.agreements),
      el('p', { class: 'muted' }, `Policy snapshot ${list.policyHash.slice(0, 16)}…`));
  } catch (e) { show(problem(e)); }
}

async function agreementPage(id, version) {
  const show = view();
  if (!me || !['operator', 'regulator', 'partner'].includes(me.role)) return show(...needRole('operator, regulator or partner'));
  try {
    const v = await api(`/api/v1/agreements/${encodeURIComponent(id)}/versions/${encodeURIComponent(version)}`);
    const approvals = await api(`/api/v1/agreements/${encodeURIComponent(id)}/versions/${encodeURIComponent(version)}/approvals`);
    let impact = [];
    if ((v.statusNow === 'draft' || v.statusNow === 'pending_approval') && me.role !== 'partner') {
      const i = await api(`/api/v1/agreements/${encodeURIComponent(id)}/versions/${encodeURIComponent(version)}/impact?days=30`);
      const r = i.replay;
      impact = [el('h2', {}, 'Impact'),
        el('div', { id: 'impact' },
          el('p', {}, `Against ${i.terms.amends ?? 'nothing (a new agreement)'}:`),
          el('ul', { class: 'terms' }, ...i.terms.widens.map(w => el('li', { class: 'widens' }, 'widens — ' + w)),
            ...i.terms.narrows.map(n => el('li', { class: 'narrows' }, 'narrows — ' + n))),
          el('p', {}, `Replayed ${r.replayed.toLocaleString('en-US')} decisions of the last ${r.days} days as if it had been in force: `,
            el('strong', {}, `${r.changed.toLocaleString('en-US')} would change`), ` for ${r.usersChanged.toLocaleString('en-US')} users` +
            (r.notReplayable ? ` (${r.notReplayable} not replayable: their subject was erased)` : '') + '.'),
          r.byUse.length ? el('table', {}, el('tr', {}, ...['Scope', 'Purpose', 'allow → deny', 'deny → allow'].map(h => el('th', {}, h))),
            r.byUse.map(u => el('tr', {}, el('td', {}, u.scope), el('td', {}, u.purpose), el('td', {}, String(u.allowToDeny)), el('td', {}, String(u.denyToAllow))))) : '')];
    }
    const section = (title, items) => [el('h2', {}, title),
      items.length ? el('ul', { class: 'terms' }, items.map(i => el('li', {}, i))) : el('p', { class: 'muted' }, 'None.')];
    show(el('h1', { id: 'agreement-title' }, `${v.title}`),
      facts([['Agreement', v.ref], ['Counterparty', v.counterparty], ['Effective from', v.effectiveFrom.slice(0, 10)], ['Status now', v.statusNow]]),
      ...section('Permissions', v.permissions), ...section('Prohibitions', v.prohibitions), ...section('Duties', v.duties),
      el('h2', {}, 'Lifecycle'),
      el('table', {}, el('tr', {}, el('th', {}, 'Status'), el('th', {}, 'Since'), el('th', {}, 'By')),
        v.history.map(h => el('tr', {}, el('td', {}, h.status), el('td', {}, h.at.slice(0, 10)), el('td', {}, h.by)))),
      ...impact,
      el('h2', {}, 'Approvals'),
      approvals.length
        ? el('table', { id: 'approvals' }, el('tr', {}, ...['Approver', 'When', 'Outcome', 'Why', 'Ledger entry'].map(h => el('th', {}, h))),
          approvals.map(a => el('tr', { class: a.outcome }, el('td', {}, a.approver), el('td', {}, a.at.slice(0, 10)),
            el('td', {}, a.outcome), el('td', {}, a.reason ?? ''), el('td', {}, a.ledgerIndex == null ? '' : String(a.ledgerIndex)))))
        : el('p', { class: 'muted', id: 'approvals' }, 'No approvals recorded.'),
      el('p', {}, el('a', { href: `/api/v1/agreements/${encodeURIComponent(id)}/versions/${encodeURIComponent(version)}/odrl` }, 'ODRL JSON-LD'),
        ' · ', el('a', { href: '#/agreements' }, 'All agreements'), ' · ', el('a', { href: '#/interests' }, 'Interest register'),
        ' · ', el('a', { href: '#/reports' }, 'Reports')),
      ...(me.role === 'operator' ? statusControls(id, version, v.statusNow) : []),
      ...(me.role === 'operator' && !['draft', 'pending_approval'].includes(v.statusNow) ? await amendmentEditor(id, version) : []));
  } catch (e) { show(problem(e)); }
}

/** Operators draft an amendment in the page: this version's ODRL JSON-LD as the next version, edited, saved as a draft (never in force). */
async function amendmentEditor(id, version) {
  const doc = await api(`/api/v1/agreements/${encodeURIComponent(id)}/versions/${encodeURIComponent(version)}/odrl`);
  const list = await api('/api/v1/agreements');
  const next = 1 + Math.max(...list.agreements.filter(a => a.agreementId === id).flatMap(a => a.versions.map(v => v.version)));
  doc['dp:version'] = next;
  const text = el('textarea', { id: 'amendment', rows: '16', cols: '96', spellcheck: 'false', 'aria-label': 'ODRL JSON-LD of the amendment' }, JSON.stringify(doc, null, 2));
  const save = el('button', { id: 'save-draft' }, `Save as draft ${id}@${next}`);
  save.addEventListener('click', async () => {
    save.disabled = true;
    try {
      let body;
      try { body = JSON.stringify(JSON.parse(text.value)); } catch (e) { throw new Error('The draft is not JSON: ' + e.message); }
      const d = await api('/api/v1/agreements/drafts', { method: 'POST', body });
      const [aid, v] = d.ref.split('@');
      location.hash = `#/agreements/${encodeURIComponent(aid)}/${encodeURIComponent(v)}`;
    } catch (e) { main.prepend(problem(e)); save.disabled = false; }
  });
  return [el('h2', {}, 'Draft an amendment'),
    el('p', { class: 'muted' }, 'Edit the terms as ODRL JSON-LD. A draft is never in force: submit it, read its impact, and have two operators approve it. Unknown terms are refused, naming where.'),
    text, el('p', {}, save)];
}

/** Operators suspend or reinstate a version: the change is in the ledger first, and the partner's tokens are revoked. */
function statusControls(id, version, now) {
  const base = `/api/v1/agreements/${encodeURIComponent(id)}/versions/${encodeURIComponent(version)}`;
  const act = (label, buttonId, path, body) => {
    const b = el('button', { id: buttonId }, label);
    b.addEventListener('click', async () => {
      b.disabled = true;
      try { await api(base + path, { method: 'POST', body: JSON.stringify(body) }); await render(); }
      catch (e) { await render(); main.prepend(problem(e)); }
    });
    return b;
  };
  if (now === 'draft') return [el('h2', {}, 'Status'), el('p', {}, act('Submit for approval', 'submit-draft', '/status', { status: 'pending_approval' }))];
  if (now === 'pending_approval') return [el('h2', {}, 'Approval'),
    el('p', { class: 'muted' }, 'Two operators who did not draft or submit it must approve it; an approver with a declared interest in the counterparty is recused, on the record.'),
    el('p', {}, act('Approve this version', 'approve', '/approvals', {}))];
  const next = now === 'active' ? 'suspended' : now === 'suspended' ? 'active' : null;
  if (!next) return [];
  const button = el('button', { id: 'change-status' }, next === 'suspended' ? 'Suspend this version' : 'Reinstate this version');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await api(`/api/v1/agreements/${encodeURIComponent(id)}/versions/${encodeURIComponent(version)}/status`,
        { method: 'POST', body: JSON.stringify({ status: next }) });
      await render();
    } catch (e) { main.prepend(problem(e)); button.disabled = false; }
  });
  return [el('h2', {}, 'Status'),
    el('p', { class: 'muted' }, 'A change is committed to the ledger before it affects any decision, and revokes every access token of the counterparty.'),
    el('p', {}, button)];
}

/** Duties with their standing on DataPact's clock, then reciprocity reports with DataPact's own counts (discrepancies highlighted). */
async function reportsPage() {
  const show = view();
  if (!me || !['operator', 'regulator', 'partner'].includes(me.role)) return show(...needRole('operator, regulator or partner'));
  try {
    const [duties, list] = await Promise.all([api('/api/v1/duties'), api('/api/v1/reports')]);
    const money = c => (c / 100).toLocaleString('en-US', { maximumFractionDigits: 0 });
    const standing = d => d.kind === 'report'
      ? (d.report.missingCount ? `missing ${d.report.missing.slice(0, 3).join(', ')}${d.report.missingCount > 3 ? ` and ${d.report.missingCount - 3} more` : ''}` : `next due ${d.report.nextDue.slice(0, 10)}`)
      : `${money(d.spend.spentCents)} of ${money(d.spend.committedCents)} ${d.spend.currency} spent in ${d.spend.year}`;
    const effect = d => d.status === 'suspending'
      ? `${d.suspends.join(', ')} suspended since ${d.report.suspendedSince.slice(0, 10)} until filed`
      : d.suspends.length ? `gates ${d.suspends.join(', ')} after ${d.report?.graceDays ?? 0} days' grace` : '';
    const flagged = list.filter(r => r.discrepancy);
    const recent = list.slice(0, 24);
    const rows = rs => rs.map(r => el('tr', { class: r.discrepancy ? 'discrepancy' : '' }, el('td', {}, r.partner), el('td', {}, r.period),
      el('td', {}, r.metric.replace('_', ' ')), el('td', {}, r.reported.toLocaleString('en-US')), el('td', {}, r.observed.toLocaleString('en-US')),
      el('td', {}, r.discrepancy ? 'discrepancy' : 'reconciled'), el('td', {}, r.filedAt.slice(0, 10)), el('td', {}, String(r.ledgerIndex))));
    const head = () => el('tr', {}, ...['Partner', 'Period', 'Metric', 'Reported', 'Observed', '', 'Filed', 'Ledger entry'].map(h => el('th', {}, h)));
    show(el('h1', {}, 'Duties and reciprocity reports'),
      el('h2', {}, 'Duties in force'),
      el('p', { class: 'muted' }, 'A report is due some days after its period ends; past the grace that follows, the permissions that depend on it are denied by the decision point until it is filed.'),
      duties.length
        ? el('table', { id: 'duties' }, el('tr', {}, ...['Partner', 'Agreement', 'Duty', 'Status', 'Standing', 'Effect'].map(h => el('th', {}, h))),
          duties.map(d => el('tr', { class: `duty-${d.status}` }, el('td', {}, d.partner), el('td', {}, d.agreement),
            el('td', {}, d.kind === 'report' ? `${d.report.metric.replace('_', ' ')} every ${d.report.period} (±${d.report.tolerancePercent} %)` : 'guaranteed spend'),
            el('td', {}, d.status.replace('_', ' ')), el('td', {}, standing(d)), el('td', {}, effect(d)))))
        : el('p', { class: 'muted', id: 'duties' }, 'No duties in force.'),
      el('h2', {}, 'Discrepancies'),
      el('p', { class: 'muted' }, 'What a partner reported against what DataPact observed (the recommendation links it issued and the recipients who clicked one), beyond the tolerance its agreement sets.'),
      flagged.length ? el('table', { id: 'discrepancies' }, head(), rows(flagged)) : el('p', { class: 'muted', id: 'discrepancies' }, 'None.'),
      el('h2', {}, `Latest reports (${recent.length} of ${list.length})`),
      list.length ? el('table', { id: 'reports' }, head(), rows(recent)) : el('p', { class: 'muted', id: 'reports' }, 'No reports filed.'));
  } catch (e) { show(problem(e)); }
}

/** The partner registry: parties and their API clients; operators register, issue, rotate and retire (a secret shown once). */
async function registryPage() {
  const show = view();
  if (!me || (me.role !== 'operator' && me.role !== 'regulator')) return show(...needRole('operator or regulator'));
  const operator = me.role === 'operator';
  const secretBox = el('div', { id: 'secret' });
  const reveal = s => {
    secretBox.replaceChildren(el('div', { class: 'secret' },
      el('p', {}, el('strong', {}, 'Client secret for ', s.clientId, ' — shown once. '), 'DataPact keeps only its hash; rotate the client if it is lost.'),
      el('code', { id: 'client-secret' }, s.clientSecret)));
  };
  const act = (label, id, path, onDone) => {
    const b = el('button', { id }, label);
    b.addEventListener('click', async () => {
      b.disabled = true;
      try { const r = await api(path, { method: 'POST', body: '{}' }); await draw(); onDone?.(r); }
      catch (e) { main.prepend(problem(e)); b.disabled = false; }
    });
    return b;
  };
  const draw = async () => {
    try {
      const parties = await api('/api/v1/parties');
      const rows = [];
      for (const p of parties) {
        const base = `/api/v1/parties/${encodeURIComponent(p.id)}/clients`;
        rows.push(el('tr', { id: `party-${p.id}` }, el('td', {}, el('strong', {}, p.id)), el('td', {}, p.kind), el('td', {}, p.displayName),
          el('td', {}, p.clients.length ? '' : 'no client'),
          el('td', {}, operator ? act('Issue a client', `issue-${p.id}`, base, reveal) : '')));
        for (const c of p.clients) {
          rows.push(el('tr', { class: `client-${c.status}`, id: `client-${c.clientId}` }, el('td', {}, ''), el('td', {}, 'client'), el('td', {}, el('code', {}, c.clientId)),
            el('td', {}, c.status === 'live' ? `live${c.rotatedAt ? `, rotated ${c.rotatedAt.slice(0, 10)}` : ''}` : `retired ${c.retiredAt.slice(0, 10)}`),
            el('td', {}, operator && c.status === 'live'
              ? [act('Rotate secret', `rotate-${c.clientId}`, `${base}/${encodeURIComponent(c.clientId)}/rotate`, reveal), ' ',
                act('Retire', `retire-${c.clientId}`, `${base}/${encodeURIComponent(c.clientId)}/retire`)]
              : '')));
        }
      }
      const form = [];
      if (operator) {
        const id = el('input', { id: 'new-party-id', placeholder: 'id, e.g. cinemo', 'aria-label': 'Party id' });
        const name = el('input', { id: 'new-party-name', placeholder: 'display name', 'aria-label': 'Display name' });
        const kind = el('select', { id: 'new-party-kind', 'aria-label': 'Kind' }, el('option', { value: 'partner' }, 'partner'), el('option', { value: 'unit' }, 'internal unit'));
        const go = el('button', { id: 'register-party' }, 'Register');
        go.addEventListener('click', async () => {
          try {
            await api('/api/v1/parties', { method: 'POST', body: JSON.stringify({ id: id.value, kind: kind.value, displayName: name.value }) });
            await draw();
          } catch (e) { main.prepend(problem(e)); }
        });
        form.push(el('h2', {}, 'Register a partner or unit'), el('p', {}, id, ' ', name, ' ', kind, ' ', go));
      }
      show(el('h1', {}, 'Partner registry'),
        el('p', { class: 'muted' }, 'Partners and internal units with their API clients. Every change is a ledger entry before it takes effect; rotating or retiring a client ends its tokens at once.'),
        secretBox,
        el('table', { id: 'registry' }, el('tr', {}, ...['Party', 'Kind', 'Name / client', 'Status', ''].map(h => el('th', {}, h))), rows),
        ...form);
    } catch (e) { show(problem(e)); }
  };
  await draw();
}

/** Erasure requests and their notices to partners; one past its 30-day deadline is flagged. */
async function erasuresPage() {
  const show = view();
  if (!me || (me.role !== 'operator' && me.role !== 'regulator')) return show(...needRole('operator or regulator'));
  try {
    const list = await api('/api/v1/erasures');
    show(el('h1', {}, 'Erasures'),
      el('p', { class: 'muted' }, 'Every erasure request and its signed deletion request to each partner that received the data, retried until the partner confirms. A request unconfirmed past its 30-day deadline is flagged.'),
      list.length
        ? el('table', { id: 'erasures' }, el('tr', {}, ...['Requested', 'Erasure', 'Partner', 'Status', 'Due by', 'Confirmation'].map(h => el('th', {}, h))),
          list.map(n => el('tr', { class: n.overdue ? 'discrepancy' : '' }, el('td', {}, n.requestedAt.slice(0, 10)), el('td', {}, n.erasureId.slice(0, 8)),
            el('td', {}, n.partner), el('td', {}, n.overdue ? 'OVERDUE' : n.status === 'confirmed' ? 'confirmed' : `pending (${n.attempts} attempts)`),
            el('td', {}, n.dueBy.slice(0, 10)), el('td', {}, n.confirmation))))
        : el('p', { class: 'muted', id: 'erasures' }, 'No erasure has been requested.'));
  } catch (e) { show(problem(e)); }
}

/** The conflict-of-interest register (operators and the regulator). */
async function interestsPage() {
  const show = view();
  if (!me || (me.role !== 'operator' && me.role !== 'regulator')) return show(...needRole('operator or regulator'));
  try {
    const list = await api('/api/v1/interests');
    show(el('h1', {}, 'Interest register'),
      el('p', { class: 'muted' }, 'Who holds a board seat, an executive role or shares in which organisation. An approver with a current interest in an agreement\'s counterparty is recused.'),
      el('table', { id: 'interests' }, el('tr', {}, ...['Person', 'Organisation', 'Kind', 'Since', 'Until', 'Declared by', 'Now'].map(h => el('th', {}, h))),
        list.map(i => el('tr', {}, el('td', {}, i.person), el('td', {}, i.organisation), el('td', {}, i.kind.replace('_', ' ')),
          el('td', {}, i.since.slice(0, 10)), el('td', {}, i.until ? i.until.slice(0, 10) : '—'), el('td', {}, i.declaredBy),
          el('td', {}, i.current ? 'current' : 'ended')))));
  } catch (e) { show(problem(e)); }
}

async function userConsentsPage() {
  const show = view();
  if (!me || me.role !== 'operator') return show(...needRole('operator'));
  const input = el('input', { id: 'user-id', type: 'number', min: '1', value: '1', 'aria-label': 'User id' });
  const out = el('div', { id: 'user-consents' });
  const look = async () => {
    try {
      const c = await api(`/api/v1/users/${encodeURIComponent(input.value)}/consents`);
      out.replaceChildren(el('h2', {}, `${c.displayName} (${c.country}, ${c.jurisdiction} rules)`),
        c.consents.length ? el('table', {}, el('tr', {}, el('th', {}, 'To'), el('th', {}, 'For'), el('th', {}, 'Since'), el('th', {}, 'Basis')),
          c.consents.map(x => el('tr', {}, el('td', {}, x.party), el('td', {}, label(x.topic)), el('td', {}, x.at.slice(0, 10)), el('td', {}, x.basis))))
          : el('p', { class: 'muted' }, 'No consent in force.'),
        el('h2', {}, 'History'), historyTable(c.history));
    } catch (e) { out.replaceChildren(problem(e)); }
  };
  show(el('h1', {}, 'A user\'s consents'), el('p', {}, 'User id ', input, ' ', el('button', { id: 'look', onclick: look }, 'Show')), out);
}

async function partnerPage() {
  const show = view();
  if (!me || me.role !== 'partner') return show(...needRole('partner'));
  try {
    const [p, u, duties] = await Promise.all([api('/api/v1/partner/profile'), api('/api/v1/partner/usage'), api('/api/v1/duties')]);
    const calls = Object.entries(u.calls);
    const owed = duties.filter(d => d.status === 'suspending' || d.status === 'overdue');
    show(el('h1', {}, p.displayName), el('p', { class: 'muted' }, p.description),
      owed.length ? el('div', { class: 'alert', id: 'duty-alerts' }, owed.map(d => el('p', {},
        el('strong', {}, `Your ${d.report.metric.replace('_', ' ')} report for ${d.report.missing[0]} is missing. `),
        d.status === 'suspending'
          ? `${d.suspends.join(' and ')} under ${d.agreement} ${d.suspends.length > 1 ? 'are' : 'is'} suspended since ${d.report.suspendedSince.slice(0, 10)} until it is filed (POST /api/v1/reports).`
          : `It was due; ${d.suspends.length ? `${d.suspends.join(' and ')} will be suspended when the ${d.report.graceDays} days' grace ends` : 'file it'} (POST /api/v1/reports).`)),
        el('p', {}, el('a', { href: '#/reports' }, 'Duties and reports'))) : '',
      facts([['Partner id', p.party], ['OAuth2 clients', p.clientIds.join(', ')]]),
      el('p', {}, el('a', { href: '#/agreements' }, 'Your agreements, in plain language'),
        ' · ', el('a', { href: '#/reports' }, 'Duties and reports'),
        ' · the API quick start is docs/partner-quickstart.md in the DataPact repository'),
      el('h2', {}, 'API calls since the server started'),
      calls.length ? el('table', { id: 'calls' }, el('tr', {}, el('th', {}, 'Endpoint'), el('th', { class: 'num' }, 'Allowed'), el('th', { class: 'num' }, 'Denied')),
        calls.map(([ep, c]) => el('tr', {}, el('td', {}, ep), el('td', { class: 'num' }, String(c.allow || 0)), el('td', { class: 'num' }, String(c.deny || 0)))))
        : el('p', { class: 'muted', id: 'calls' }, 'No API calls yet.'),
      el('h2', {}, 'Latest denials'),
      u.recentDenials.length ? el('table', { id: 'denials' }, el('tr', {}, el('th', {}, 'When (UTC)'), el('th', {}, 'Endpoint'), el('th', {}, 'Purpose'), el('th', {}, 'Why'), el('th', { class: 'num' }, 'Ledger')),
        u.recentDenials.map(d => el('tr', {}, el('td', {}, d.at.slice(0, 19).replace('T', ' ')), el('td', {}, d.endpoint), el('td', {}, label(d.purpose)),
          el('td', {}, d.reasons.join('; ')), el('td', { class: 'num' }, String(d.ledgerIndex)))))
        : el('p', { class: 'muted', id: 'denials' }, 'No denials.'),
      el('h2', {}, 'Recommendations sent and clicked'),
      u.recommendations.length ? el('table', { id: 'recommendations' }, el('tr', {}, el('th', {}, 'Day'), el('th', { class: 'num' }, 'Sends'), el('th', { class: 'num' }, 'Recipients who clicked'), el('th', { class: 'num' }, 'Clicks')),
        u.recommendations.map(r => el('tr', {}, el('td', {}, r.day), el('td', { class: 'num' }, String(r.sends)), el('td', { class: 'num' }, String(r.clickedRecipients)), el('td', { class: 'num' }, String(r.clicks)))))
        : el('p', { class: 'muted', id: 'recommendations' }, 'No recommendations sent in the last 90 days.'));
  } catch (e) { show(problem(e)); }
}

async function worldPage(role) {
  const show = view();
  if (!me || me.role !== role) return show(...needRole(role));
  try {
    const w = await api('/api/v1/world');
    const max = Math.max(...w.usersByCountry.map(c => c.users));
    show(el('h1', {}, role === 'operator' ? 'Operator console' : 'Regulator view'),
      el('p', {}, el('a', { href: '#/agreements' }, 'Agreements'),
        role === 'operator' ? [' · ', el('a', { href: '#/operator/consents' }, 'A user\'s consents')]
          : [' · ', el('a', { href: '#/regulator/console' }, 'Compliance console'), ' · ', el('a', { href: '#/regulator/ledger' }, 'Ledger entries'), ' · ', el('a', { href: '#/regulator/verify' }, 'Verify the log')],
        ' · ', el('a', { href: '#/registry' }, 'Partner registry'), ' · ', el('a', { href: '#/erasures' }, 'Erasures'), ' · ', el('a', { href: '#/reports' }, 'Duties and reports'),
        ' · ', el('a', { href: '#/interests' }, 'Interest register')),
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

/** One ledger entry as a table row: what happened, to whom, by whom, with what outcome. */
function entryRow(e, withPerson, size) {
  const what = e.type === 'decision' ? `${e.principal} asked: ${e.scope} for ${label(e.purpose)}`
    : e.type === 'consent' ? `${e.action} ${label(e.topic)} to ${e.party}`
    : e.type === 'agreement' ? `agreement ${e.agreementId} v${e.version}`
    : e.type === 'erasure' ? `a ledger identity was erased (${e.requestedBy})` : e.type;
  const outcome = e.type === 'decision' ? e.effect : '';
  const person = e.personal === 'erased' ? 'erased' : e.personal ? `user ${e.personal.user}${e.personal.country ? ' · ' + e.personal.country : ''}` : '—';
  return el('tr', { class: `entry entry-${e.type}` }, el('td', { class: 'num' }, String(e.index)), el('td', {}, (e.at || '').slice(0, 19).replace('T', ' ')),
    el('td', {}, what), withPerson ? el('td', {}, person) : [],
    el('td', { class: outcome === 'deny' ? 'deny' : '' }, outcome,
      e.type === 'decision' && e.reasons?.length ? el('div', { class: 'why' }, e.reasons.join('; ') + (e.agreementVersion ? ` · under ${e.agreementVersion}` : '')) : ''),
    el('td', {}, ledgerShard && withPerson ? [] : el('a', { href: `/api/v1/ledger/proofs/inclusion?index=${e.index}&size=${Math.max(size, e.index + 1)}` }, 'proof'),
      withPerson ? (e.type === 'decision' ? [' ', replayButton(e.index)] : []) : [' ', verifyButton(e.index)]));
}

/** Replays a decision entry from the log alone and shows its inputs beside its outcome (the regulator). */
function changesTable(id, changes) {
  return el('table', { id }, el('tr', {}, ...['at', 'party', 'topic', 'action'].map(h => el('th', {}, h))),
    ...changes.map(c => el('tr', {}, el('td', {}, c.at.slice(0, 19).replace('T', ' ')), el('td', {}, c.party), el('td', {}, label(c.topic)), el('td', {}, c.action))));
}

function replayButton(index) {
  return el('button', { class: 'replay', 'data-index': String(index), onclick: async () => {
    const panel = document.getElementById('replay-panel');
    panel.replaceChildren(el('p', { class: 'muted' }, `Replaying entry ${index}…`));
    try {
      const r = await api(`/api/v1/ledger/entries/${index}/replay${shardQuery('?')}`);
      const verdict = (title, v) => el('div', {}, el('h4', {}, title), v ? facts([['Effect', v.effect], ['Reasons', v.reasons.join('; ')], ['Agreement', v.agreementVersion ?? '—']]) : el('p', { class: 'muted' }, '—'));
      const inputs = r.inputs;
      panel.replaceChildren(el('h2', {}, `Replay of entry ${index}`),
        el('p', { id: 'replay-outcome', class: r.outcome === 'MATCH' ? 'allow' : r.outcome === 'OTHER_SHARDS' ? 'muted' : 'deny' }, `${r.outcome}: ${r.message}`),
        inputs ? el('div', { class: 'side-by-side' },
          el('div', {}, el('h3', {}, 'Inputs (from the log)'),
            facts(Object.entries(inputs.request).map(([k, v]) => [k, Array.isArray(v) ? (v.join(', ') || '—') : (v ?? '—')])),
            el('h4', {}, 'Agreement version'),
            inputs.agreement ? [el('p', {}, inputs.agreement.version + ': ' + inputs.agreement.history.map(h => `${h.status} ${h.at.slice(0, 10)}`).join(', ')),
              el('details', {}, el('summary', {}, 'Terms (ODRL)'), el('pre', { class: 'note' }, JSON.stringify(inputs.agreement.document, null, 2)))]
              : el('p', { class: 'muted' }, 'None named.'),
            el('p', { id: 'replay-policy-through' }, inputs.policyThrough >= 0
              ? `Decided on the policy recorded through entry ${inputs.policyThrough}.`
              : 'Decided on the policy recorded before it (an entry from before decisions named their policy).'),
            el('h4', {}, `The subject's consent changes (${inputs.consents.length})`),
            changesTable('replay-consents', inputs.consents),
            inputs.notYetInForce.length ? [
              el('h4', {}, `Recorded after that, before this entry: not yet in force when it was decided (${inputs.notYetInForce.length})`),
              changesTable('replay-not-yet-in-force', inputs.notYetInForce)] : []),
          el('div', {}, el('h3', {}, 'Outcome'), verdict('Recorded', r.recorded), verdict('Replayed', r.replayed))) : '');
      panel.scrollIntoView({ block: 'start' });
    } catch (e) { panel.replaceChildren(problem(e)); }
  } }, 'replay');
}

/**
 * The partner-app authorization dialog: what the app asks for, in plain language, for which purpose,
 * under which agreement version, with a choice per item; what the user allows becomes their consent
 * (with a receipt) and a one-time code the app exchanges for a token limited to it.
 */
async function authorizePage(query) {
  const show = view();
  if (!me || me.role !== 'user') {
    return show(el('h1', {}, 'An app asks for your data'),
      el('p', {}, 'Sign in first, then come back to this page. ', el('a', { href: '#/login' }, 'Sign in')));
  }
  const params = new URLSearchParams(query);
  try {
    const d = await api(`/api/v1/oauth/request?${params}`);
    const boxes = d.items.map(i => {
      const box = el('input', { type: 'checkbox', id: `grant-${i.scope}`, 'aria-label': i.meaning });
      box.checked = true;
      return [box, i];
    });
    const send = async granted => {
      try {
        const body = Object.fromEntries(['client_id', 'redirect_uri', 'scope', 'purpose', 'state', 'code_challenge', 'code_challenge_method']
          .filter(k => params.get(k) !== null).map(k => [k, params.get(k)]));
        const r = await api('/api/v1/oauth/authorize', { method: 'POST', body: JSON.stringify({ ...body, granted }) });
        location.href = r.redirect;
      } catch (e) { main.prepend(problem(e)); }
    };
    const allow = el('button', { id: 'authorize-allow' }, 'Allow what is ticked');
    allow.addEventListener('click', () => send(boxes.filter(([b]) => b.checked).map(([, i]) => i.scope)));
    const deny = el('button', { id: 'authorize-deny', class: 'link' }, 'Deny all');
    deny.addEventListener('click', () => send([]));
    show(el('h1', { id: 'authorize-title' }, `${d.partnerName} asks for your data`),
      el('p', {}, `For `, el('strong', {}, label(d.purpose)), `, under the agreement `, el('code', {}, d.agreement),
        ` between the platform and ${d.partnerName}. Untick anything you do not want to share; you can revoke it any time in `,
        el('a', { href: '#/me' }, 'My data'), '.'),
      el('ul', { class: 'grants', id: 'authorize-items' }, boxes.map(([b, i]) => el('li', {}, el('label', {}, b, ' ', i.meaning, ' ', el('span', { class: 'muted' }, `(${i.scope})`))))),
      el('p', { class: 'muted' }, `What you allow is recorded in the tamper-evident ledger before ${d.partnerName} can use it, and you get a signed receipt. You will be sent back to ${d.returnsTo}.`),
      el('p', {}, allow, ' ', deny));
  } catch (e) { show(el('h1', {}, 'This request cannot be shown'), problem(e)); }
}

/** Filters the access history by who, outcome and kind, and offers it as CSV or JSON with the same filter. */
function historyFilters(size) {
  const party = el('input', { id: 'filter-party', placeholder: 'who, e.g. streamflix', 'aria-label': 'Who', size: '16' });
  const effect = el('select', { id: 'filter-effect', 'aria-label': 'Outcome' }, el('option', { value: '' }, 'any outcome'),
    el('option', { value: 'allow' }, 'allowed'), el('option', { value: 'deny' }, 'denied'));
  const type = el('select', { id: 'filter-type', 'aria-label': 'Kind' }, el('option', { value: '' }, 'any kind'),
    el('option', { value: 'decision' }, 'decisions'), el('option', { value: 'consent' }, 'consent changes'));
  const csv = el('a', { id: 'download-csv', href: '/api/v1/me/history?format=csv', download: 'datapact-access-history.csv' }, 'CSV');
  const json = el('a', { id: 'download-json', href: '/api/v1/me/history?format=json', download: 'datapact-access-history.json' }, 'JSON');
  const apply = el('button', { id: 'filter-apply' }, 'Show');
  apply.addEventListener('click', async () => {
    const q = new URLSearchParams();
    if (party.value.trim()) q.set('party', party.value.trim());
    if (effect.value) q.set('effect', effect.value);
    if (type.value) q.set('type', type.value);
    csv.href = `/api/v1/me/history?format=csv&${q}`;
    json.href = `/api/v1/me/history?format=json&${q}`;
    try {
      const h = await api(`/api/v1/me/history?${q}`);
      document.getElementById('my-entries-box').replaceChildren(entryTable(h.entries.slice(0, 200), false, 'my-entries', size),
        h.entries.length > 200 || h.truncated ? el('p', { class: 'muted' }, `The first 200 of ${h.entries.length}${h.truncated ? '+' : ''}: download for all.`) : '');
    } catch (e) { main.prepend(problem(e)); }
  });
  return el('p', { class: 'filters' }, party, ' ', effect, ' ', type, ' ', apply, ' · download ', csv, ' ', json,
    ' · ', el('a', { id: 'download-export', href: '/api/v1/me/export', download: 'datapact-export.json' }, 'everything DataPact holds about me'));
}

/** Checks one of the user's entries in this browser (verify.js) and says what it proved, or what failed. */
function verifyButton(index) {
  const b = el('button', { id: `verify-${index}`, class: 'small' }, 'verify');
  b.addEventListener('click', async () => {
    const box = document.getElementById('verification');
    b.disabled = true;
    try {
      const evidence = await api(`/api/v1/me/ledger/${index}/evidence`);
      const r = await verifyEntry(evidence);
      box.className = r.ok ? 'verification verified' : 'verification failed';
      box.replaceChildren(el('p', {}, el('strong', {}, r.ok ? `Entry ${index} verified in this browser.` : `Entry ${index} did NOT verify: ${r.failure}.`)),
        el('ul', {}, r.says.map(x => el('li', {}, x))));
    } catch (e) {
      box.className = 'verification failed';
      box.replaceChildren(el('p', {}, el('strong', {}, `Entry ${index} could not be checked: `), e.message));
    } finally { b.disabled = false; }
  });
  return b;
}

function entryTable(entries, withPerson, id, size) {
  if (!entries.length) return el('p', { class: 'muted', id }, 'No entries.');
  return el('table', { id }, el('tr', {}, el('th', { class: 'num' }, '#'), el('th', {}, 'When (UTC)'), el('th', {}, 'What'),
    withPerson ? el('th', {}, 'About') : [], el('th', {}, 'Outcome'), el('th', {}, '')), entries.map(e => entryRow(e, withPerson, size)));
}

async function myLedgerPage() {
  const show = view();
  if (!me || me.role !== 'user') return show(...needRole('user'));
  try {
    const [mine, cp, notices] = await Promise.all([api('/api/v1/me/ledger?limit=50'), api('/api/v1/ledger/checkpoint'), api('/api/v1/me/erasure')]);
    const erase = el('button', { id: 'erase' }, 'Erase my ledger identity…');
    const confirm = el('button', { id: 'erase-confirm', hidden: true }, 'Yes, erase it');
    const status = el('p', { id: 'erase-status', class: 'muted' });
    erase.addEventListener('click', () => { confirm.hidden = false; status.textContent = 'Your earlier entries stay in the log but can no longer be read or linked to you. This cannot be undone.'; });
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      try {
        const r = await api('/api/v1/me/erasure', { method: 'POST' });
        await myLedgerPage();
        document.getElementById('erase-status').textContent = r.detail + (r.partnersNotified.length
          ? ` A deletion request goes to ${r.partnersNotified.join(', ')}, who received your data; each must confirm within 30 days.`
          : ' No partner received your data.');
      } catch (e) { main.prepend(problem(e)); confirm.disabled = false; }
    });
    show(el('h1', {}, 'My record in the ledger'),
      el('p', { class: 'muted' }, 'Every decision about your data and every consent change is written to a tamper-evident log before it takes effect. ',
        'These are the entries about you. "verify" checks, in this browser, that an entry is in the log DataPact signed: its bytes, the sibling hashes and the Ed25519 signature, with nothing taken on trust from the server.'),
      facts([['Log size', cp.size.toLocaleString('en')], ['Signed root', cp.rootHash], ['Signed at', cp.timestamp]]),
      historyFilters(cp.size),
      el('div', { id: 'verification', class: 'verification' }),
      el('div', { id: 'my-entries-box' }, entryTable(mine.entries, false, 'my-entries', cp.size)),
      el('h2', {}, 'Erasure'), el('p', {}, erase, ' ', confirm), status,
      notices.length
        ? el('table', { id: 'erasure-notices' }, el('tr', {}, ...['Partner', 'Deletion request', 'Due by', 'Confirmation'].map(h => el('th', {}, h))),
          notices.map(n => el('tr', { class: n.overdue ? 'discrepancy' : '' }, el('td', {}, n.partner),
            el('td', {}, n.status === 'confirmed' ? 'confirmed' : `pending (${n.attempts} attempts${n.lastError ? ': ' + n.lastError : ''})`),
            el('td', {}, n.dueBy.slice(0, 10)), el('td', {}, n.confirmation))))
        : '');
  } catch (e) { show(problem(e)); }
}

/** The ledger shard the regulator's ledger page reads: null for the answering node's own. */
let ledgerShard = null;
const shardQuery = sep => ledgerShard ? `${sep}shard=${encodeURIComponent(ledgerShard)}` : '';

async function regulatorLedgerPage() {
  const show = view();
  if (!me || me.role !== 'regulator') return show(...needRole('regulator'));
  try {
    const [cp, { shards }] = await Promise.all([api('/api/v1/ledger/checkpoint'), api('/api/v1/ledger/shards')]);
    const other = shards.find(s => !s.thisNode && s.origin === ledgerShard);
    if (!other) ledgerShard = null;
    const size = other ? other.treeSize : cp.size;
    const page = await api(`/api/v1/ledger/entries?from=${Math.max(0, size - 50)}&limit=50${shardQuery('&')}`);
    const picker = shards.length < 2 ? [] : el('p', {}, el('label', { for: 'shard-picker' }, 'Ledger shard: '),
      el('select', { id: 'shard-picker', onchange: e => { ledgerShard = e.target.value || null; render(); } },
        ...shards.map(s => el('option', s.thisNode ? { value: '', ...(ledgerShard ? {} : { selected: '' }) } : { value: s.origin, ...(s.origin === ledgerShard ? { selected: '' } : {}) },
          s.origin + (s.thisNode ? ' (this node)' : '')))),
      el('span', { class: 'muted' }, ` — one per node; another node's entries are read through it (its keys open the personal fields), and only while it runs.`));
    show(el('h1', {}, 'Ledger'), picker,
      facts(other ? [['Origin', other.origin], ['Size (its newest checkpoint)', other.treeSize.toLocaleString('en')], ['Listed at', other.seenAt]]
        : [['Origin', cp.origin], ['Size', cp.size.toLocaleString('en')], ['Root hash', cp.rootHash], ['Signed at', cp.timestamp]]),
      el('p', { class: 'muted' }, 'The latest entries, personal fields opened unless erased. Verify a copy offline with ',
        el('code', {}, 'datapact ledger verify'), ' and re-decide any decision with ', el('code', {}, 'datapact ledger replay --index N'), '.',
        other ? ' Inclusion proofs of this shard are served by its own node.' : ''),
      entryTable([...page.entries].reverse(), true, 'ledger-entries', page.size),
      el('section', { id: 'replay-panel' }),
      el('pre', { class: 'note', id: 'checkpoint-note' }, other ? (other.checkpoint || '') : cp.note));
  } catch (e) { show(problem(e)); }
}

/** Loads the chart library (ECharts, served from its webjar) once. */
let echartsLoaded = null;
function loadEcharts() {
  echartsLoaded ??= new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = '/webjars/echarts/5.3.1/dist/echarts.min.js';
    s.onload = () => resolve(window.echarts);
    s.onerror = () => reject(new Error('the chart library did not load'));
    document.head.append(s);
  });
  return echartsLoaded;
}

const usd = cents => (cents / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

/** The ads business: a segment builder with the decision, commitments, revenue by data source, campaigns. */
async function adsPage() {
  const show = view();
  if (!me || (me.role !== 'operator' && me.role !== 'partner')) return show(...needRole('operator'));
  let advertisers, commitments, revenue, campaigns;
  try {
    [advertisers, commitments, revenue, campaigns] = await Promise.all([
      api('/api/v1/ads/advertisers'), api('/api/v1/ads/commitments'),
      api('/api/v1/ads/revenue'), api('/api/v1/ads/campaigns')]);
  } catch (e) { return show(el('h1', {}, 'Ads'), problem(e)); }
  const advertiser = el('select', { id: 'advertiser' }, ...advertisers.map(a => el('option', { value: a.id }, a.name)));
  const definition = el('textarea', { id: 'definition', rows: '4', cols: '72', spellcheck: 'false' },
    '{"and": [{"interest": "film"}, {"not": {"ageBand": "65+"}}]}');
  const result = el('div', { id: 'estimate', role: 'status' });
  async function estimate() {
    let def;
    try { def = JSON.parse(definition.value); } catch { return result.replaceChildren(el('p', { class: 'deny' }, 'The definition is not JSON.')); }
    try {
      const a = await api('/api/v1/ads/audiences/estimate', { method: 'POST', body: JSON.stringify({ advertiser: advertiser.value, definition: def }) });
      result.replaceChildren(
        el('p', { class: 'allow' }, `Allowed: ${a.size.toLocaleString('en-US')} users (minimum ${a.minimum}); ledger entry ${a.ledgerIndex}`),
        el('p', { class: 'muted' }, 'Built from: ' + a.labels.map(l => `${l.source} ${l.category} (${l.jurisdiction})`).join(', ')));
    } catch (e) {
      const why = (e.body?.decision?.reasons || []).map(r => `${r.rule}: ${r.detail ?? ''}`);
      result.replaceChildren(el('p', { class: 'deny' }, 'Refused: ' + e.message), ...why.map(w => el('p', { class: 'muted' }, w)));
    }
  }
  let timer;
  definition.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(estimate, 700); });
  advertiser.addEventListener('change', estimate);
  const commitmentRows = commitments.map(c => el('tr', {},
    el('td', {}, c.party), el('td', {}, String(c.year)), el('td', {}, usd(c.committedCents)), el('td', {}, usd(c.spentCents)),
    el('td', {}, el('progress', { max: String(c.committedCents), value: String(Math.min(c.spentCents, c.committedCents)) }), ` ${(c.progress * 100).toFixed(1)} %`)));
  const chart = el('div', { id: 'revenue-chart', class: 'chart' });
  chart.style.cssText = 'width: 860px; height: 360px';
  const top = [...campaigns].sort((a, b) => b.spendCents - a.spendCents).slice(0, 15);
  show(el('h1', {}, 'Ads'),
    revenue.simulating ? el('p', { id: 'simulating', class: 'notice' }, `The delivery simulation is under way (${revenue.simulating.days.toLocaleString('en')} of ${revenue.simulating.of.toLocaleString('en')} days): the spend and revenue below are partial until it ends; reload to follow it.`) : '',
    el('h2', {}, 'Segment builder'),
    el('p', { class: 'muted' }, 'Predicates: country, ageBand, interest, watched {partner, genre}, combined with and / or / not. ',
      'Every estimate is decided for the ads unit on the advertiser\'s behalf with the labels of the data it reads, and ledgered.'),
    el('p', {}, el('label', { for: 'advertiser' }, 'Advertiser '), advertiser),
    el('p', {}, definition),
    el('p', {}, el('button', { id: 'estimate-button', onclick: estimate }, 'Estimate audience')),
    result,
    el('h2', {}, 'Spend commitments'),
    el('table', { id: 'commitments' }, el('tr', {}, ...['party', 'year', 'committed', 'spent (simulated)', 'progress'].map(h => el('th', {}, h))), ...commitmentRows),
    el('h2', {}, 'Revenue by data source'),
    revenue.simulation ? el('p', { class: 'muted' }, `Simulated ${revenue.simulation.from} to ${revenue.simulation.to}, seed ${revenue.simulation.seed}: ${usd(revenue.totalCents)} in all.`) : el('p', { class: 'muted' }, `${usd(revenue.totalCents)} in all.`),
    chart,
    el('h2', {}, 'Campaigns (top spend)'),
    el('table', { id: 'campaigns' }, el('tr', {}, ...['campaign', 'advertiser', 'data', 'bid', 'budget', 'spent'].map(h => el('th', {}, h))),
      ...top.map(c => el('tr', {}, el('td', {}, c.name), el('td', {}, c.advertiser), el('td', {}, c.dataSource),
        el('td', {}, `${c.bidKind} ${usd(c.bidCents)}`), el('td', {}, usd(c.budgetCents)), el('td', {}, usd(c.spendCents))))));
  try {
    const echarts = await loadEcharts();
    const years = [...new Set(revenue.byDataSource.map(r => r.year))].sort();
    const sources = [...new Set(revenue.byDataSource.map(r => r.key))].sort();
    const series = sources.map(s => ({ name: s, type: 'bar', stack: 'revenue',
      data: years.map(y => (revenue.byDataSource.find(r => r.key === s && r.year === y)?.revenueCents ?? 0) / 100) }));
    echarts.init(chart, null, { renderer: 'canvas' }).setOption({
      animation: false, tooltip: { trigger: 'axis' }, legend: { data: sources },
      xAxis: { type: 'category', data: years.map(String) }, yAxis: { type: 'value', name: 'USD' }, series });
    chart.dataset.drawn = 'true';
  } catch (e) { chart.replaceChildren(problem(e)); }
}

/** The public transparency report: releases published with differential privacy, the budget, charts and CSV. */
async function transparencyPage() {
  const show = view();
  let t;
  try { t = await api('/api/v1/transparency'); } catch (e) { return show(el('h1', {}, 'Transparency report'), problem(e)); }
  const publish = me?.role === 'operator' ? publishForm() : null;
  const intro = [el('h1', {}, 'Transparency report'),
    el('p', {}, 'How often partner companies received users\' data, by partner, scope, purpose and the user\'s country, ',
      'counted from the tamper-evident ledger. Counts are published with differential privacy: ', t.mechanism, '. ',
      `Cells under a release's threshold after noise are suppressed (at least ${t.minimumThreshold}; ${t.thresholdRule}). The unit of privacy is ${t.unitOfPrivacy}.`),
    el('table', { id: 'budgets' }, el('tr', {}, ...['year', 'privacy budget (epsilon)', 'spent', 'remaining'].map(h => el('th', {}, h))),
      ...t.budgets.map(b => el('tr', {}, el('td', {}, String(b.year)), el('td', {}, b.total), el('td', {}, b.spent), el('td', {}, b.remaining))))];
  if (!t.releases.length) return show(...intro, publish ?? '', el('p', { id: 'no-releases', class: 'muted' }, 'Nothing has been published yet.'));
  const pick = el('select', { id: 'release' }, ...t.releases.map(r => el('option', { value: r.id }, `${r.period}${r.complete ? '' : ' (period not over)'} — epsilon ${r.epsilon}, published ${r.publishedAt.slice(0, 10)}`)));
  const body = el('div', { id: 'release-body' });
  show(...intro, publish ?? '', el('h2', {}, 'Releases'), el('p', {}, el('label', { for: 'release' }, 'Release '), pick), body);
  async function draw() {
    const r = t.releases.find(x => x.id === pick.value);
    const byPartner = el('div', { id: 'partner-chart', class: 'chart' });
    byPartner.style.cssText = 'width: 860px; height: 320px';
    const byCountry = el('div', { id: 'country-chart', class: 'chart' });
    byCountry.style.cssText = 'width: 860px; height: 320px';
    body.replaceChildren(
      el('p', {}, `Period ${r.period}: ${r.total.toLocaleString('en-US')} releases in published cells (noisy), epsilon ${r.epsilon}, threshold ${r.threshold}, `,
        `${r.logSize.toLocaleString('en-US')} ledger entries counted; recorded in ledger entry ${r.ledgerIndex} with the SHA-256 of its cells `,
        el('code', {}, r.cellsSha256.slice(0, 16) + '…'), '. ',
        el('a', { id: 'csv', href: `/api/v1/transparency/releases/${r.id}?format=csv` }, 'Download CSV'), ' · ',
        el('a', { href: `/api/v1/transparency/releases/${r.id}` }, 'JSON')),
      el('h3', {}, 'By partner and scope'), byPartner, el('h3', {}, 'By country'), byCountry,
      el('table', { id: 'cells' }, el('tr', {}, ...['partner', 'scope', 'purpose', 'country', 'releases (noisy)'].map(h => el('th', {}, h))),
        ...r.cells.map(c => el('tr', {}, el('td', {}, c.partner), el('td', {}, c.scope), el('td', {}, c.purpose), el('td', {}, c.country), el('td', {}, c.releases.toLocaleString('en-US'))))));
    try {
      const echarts = await loadEcharts();
      const partners = [...new Set(r.cells.map(c => c.partner))].sort();
      const scopes = [...new Set(r.cells.map(c => c.scope))].sort();
      const sum = (f) => r.cells.filter(f).reduce((a, c) => a + c.releases, 0);
      echarts.init(byPartner, null, { renderer: 'canvas' }).setOption({ animation: false, tooltip: { trigger: 'axis' }, legend: { data: scopes },
        xAxis: { type: 'category', data: partners }, yAxis: { type: 'value', name: 'releases' },
        series: scopes.map(s => ({ name: s, type: 'bar', stack: 'scope', data: partners.map(p => sum(c => c.partner === p && c.scope === s)) })) });
      const countries = [...new Set(r.cells.map(c => c.country))].map(k => [k, sum(c => c.country === k)]).sort((a, b) => b[1] - a[1]).slice(0, 20);
      echarts.init(byCountry, null, { renderer: 'canvas' }).setOption({ animation: false, tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: countries.map(c => c[0]) }, yAxis: { type: 'value', name: 'releases' },
        series: [{ type: 'bar', data: countries.map(c => c[1]), itemStyle: { color: '#3b5bdb' } }] });
      byPartner.dataset.drawn = 'true';
      byCountry.dataset.drawn = 'true';
    } catch (e) { byPartner.replaceChildren(problem(e)); }
  }
  pick.addEventListener('change', draw);
  await draw();
}

/** Operators publish a release: a period and the epsilon it spends from that year's budget. */
function publishForm() {
  const period = el('input', { id: 'publish-period', value: String(new Date().getUTCFullYear()), size: '8' });
  const epsilon = el('input', { id: 'publish-epsilon', value: '0.25', size: '6' });
  const out = el('div', { id: 'publish-result', role: 'status' });
  async function go() {
    try {
      const r = await api('/api/v1/transparency/releases', { method: 'POST', body: JSON.stringify({ period: period.value, epsilon: epsilon.value }) });
      out.replaceChildren(el('p', { class: 'allow' }, `Published ${r.period}: ${r.cells.length} cells, ledger entry ${r.ledgerIndex}.`));
      setTimeout(render, 600);
    } catch (e) { out.replaceChildren(problem(e)); }
  }
  return el('section', {}, el('h2', {}, 'Publish a release'),
    el('p', {}, el('label', { for: 'publish-period' }, 'Period (2026, 2026-Q3 or 2026-10) '), period, ' ',
      el('label', { for: 'publish-epsilon' }, 'epsilon '), epsilon, ' ', el('button', { id: 'publish-button', onclick: go }, 'Publish')), out);
}

/**
 * The regulator's own check of the log, in this browser: the signed checkpoint's signature, then its
 * consistency with the last checkpoint this browser verified (kept in localStorage, with the log's key
 * pinned on first use), with WebCrypto. Trusts nothing the server says about roots it signed before.
 */
async function verifyLogPage() {
  const show = view();
  if (!me || me.role !== 'regulator') return show(...needRole('regulator'));
  const status = el('div', { id: 'verify-status', role: 'status' }, el('p', { class: 'muted' }, 'Verifying…'));
  const detail = el('ul', { id: 'verify-detail' });
  show(el('h1', {}, 'Verify the log'),
    el('p', {}, 'This page checks, in your browser, that the log DataPact signs only ever grows: each signed checkpoint must extend the last one this browser verified (RFC 9162 consistency proof, SHA-256 and Ed25519 by WebCrypto). ',
      'What it verified is kept in this browser, so a log rewritten on disk shows here as an inconsistency.'),
    status, detail, el('section', { id: 'witness-status' }), el('section', { id: 'shard-status' }), el('p', {}, el('button', { id: 'verify-again', onclick: () => render() }, 'Verify again'), ' ',
      el('button', { id: 'verify-forget', onclick: () => { ['datapact.verified', 'datapact.logkey', 'datapact.shards'].forEach(k => localStorage.removeItem(k)); render(); } }, 'Forget what this browser verified')));
  const say = t => detail.append(el('li', {}, t));
  const alarm = why => status.replaceChildren(el('p', { class: 'deny inconsistent' }, 'INCONSISTENT: ', why),
    el('p', {}, 'The log this server shows does not extend what this browser verified before. Keep this page\'s evidence and report it.'));
  try {
    const [key, cp] = await Promise.all([api('/api/v1/ledger/public-key'), api('/api/v1/ledger/checkpoint')]);
    const pinned = localStorage.getItem('datapact.logkey');
    if (pinned && pinned !== key.verifierKey) return alarm(`the log's key changed from ${pinned} to ${key.verifierKey}`);
    if (!pinned) { localStorage.setItem('datapact.logkey', key.verifierKey); say(`Pinned the log's key ${key.verifierKey} (first use).`); }
    const c = await verifyNote(cp.note, key.name, key.publicKey);
    say(`Checkpoint signature by ${key.name} verified: ${c.size.toLocaleString('en')} entries, root ${toHex(c.root).slice(0, 16)}…, signed ${c.at.toISOString()}.`);
    const before = JSON.parse(localStorage.getItem('datapact.verified') || 'null');
    if (before) {
      const oldRoot = fromBase64(before.root);
      if (c.size < before.size) return alarm(`the log now has ${c.size} entries; ${before.size} were verified at ${before.at}`);
      if (c.size === before.size) {
        if (!(await verifyConsistency(before.size, c.size, oldRoot, c.root, []))) return alarm(`the root at size ${c.size} is ${toHex(c.root).slice(0, 16)}…, but ${toHex(oldRoot).slice(0, 16)}… was verified at that size`);
        say(`Same tree as verified at ${before.at}.`);
      } else {
        const p = await api(`/api/v1/ledger/proofs/consistency?first=${before.size}&second=${c.size}`);
        const ok = await verifyConsistency(before.size, c.size, oldRoot, c.root, p.proof.map(fromBase64));
        if (!ok) return alarm(`the checkpoint of ${c.size} entries does not extend the one of ${before.size} verified at ${before.at}: the consistency proof fails (the log's history was rewritten)`);
        say(`Consistent with the ${before.size.toLocaleString('en')} entries verified at ${before.at} (${p.proof.length} proof hashes).`);
      }
    }
    localStorage.setItem('datapact.verified', JSON.stringify({ size: c.size, root: base64(c.root), at: c.at.toISOString() }));
    status.replaceChildren(el('p', { class: 'allow verified' }, `Verified tree size ${c.size.toLocaleString('en')}, signed ${c.at.toISOString()}`,
      before ? `, consistent with size ${before.size.toLocaleString('en')}.` : ' (first verification in this browser).'));
    await checkWitnesses(key, c, say);
    await checkShards();
  } catch (e) { status.replaceChildren(problem(e)); }
}

/**
 * Every other node's ledger shard (one per node): its key pinned in this browser on first use, its
 * newest signed checkpoint verified against that key, and its size and root never going back from
 * what this browser saw. Its consistency proofs are served by its own node.
 */
async function checkShards() {
  const box = document.getElementById('shard-status');
  const { shards } = await api('/api/v1/ledger/shards');
  const seen = JSON.parse(localStorage.getItem('datapact.shards') || '{}');
  const lines = [];
  let bad = false;
  for (const s of shards) {
    if (s.thisNode) { lines.push(el('li', {}, el('code', {}, s.origin), ': this node\'s shard, verified above.')); continue; }
    const line = (ok, text) => { if (!ok) bad = true; lines.push(el('li', { class: ok ? '' : 'deny inconsistent' }, el('code', {}, s.origin), ': ', text)); };
    const before = seen[s.origin];
    if (before && before.key !== s.verifierKey) { line(false, `INCONSISTENT: its key changed from ${before.key} to ${s.verifierKey}`); continue; }
    if (!s.checkpoint) { line(true, 'no signed checkpoint yet.'); continue; }
    // a C2SP verifier key: name+keyid+base64(0x01 || the Ed25519 key); the base64 may hold '+'
    const first = s.verifierKey.indexOf('+');
    const name = s.verifierKey.slice(0, first);
    const typed = s.verifierKey.slice(s.verifierKey.indexOf('+', first + 1) + 1);
    let c;
    try { c = await verifyNote(s.checkpoint, name, base64(fromBase64(typed).slice(1))); } catch (e) { line(false, `INCONSISTENT: ${e.message}`); continue; }
    if (c.origin !== s.origin) { line(false, `INCONSISTENT: its checkpoint names the origin ${c.origin}`); continue; }
    if (before && (c.size < before.size || (c.size === before.size && base64(c.root) !== before.root))) {
      line(false, `INCONSISTENT: its checkpoint of ${c.size} entries goes back from the ${before.size} this browser saw`); continue;
    }
    seen[s.origin] = { key: s.verifierKey, size: c.size, root: base64(c.root) };
    line(true, `checkpoint signature verified (${before ? 'key pinned' : 'key pinned now, first use'}): ${c.size.toLocaleString('en')} entries, signed ${c.at.toISOString()}; its consistency proofs are served by its own node.`);
  }
  localStorage.setItem('datapact.shards', JSON.stringify(seen));
  box.replaceChildren(el('h2', {}, 'Every ledger shard'),
    el('p', { class: bad ? 'deny inconsistent' : 'muted' }, `This deployment writes ${shards.length} ledger shard${shards.length === 1 ? '' : 's'} (one per node).`),
    el('ul', { id: 'shard-list' }, ...lines));
}

/**
 * The witness quorum, against the witness keys the regulator keeps in this browser (never the
 * server's list): the cosigned checkpoint must be the log's own, consistent with what was verified,
 * and carry valid cosignatures of at least `quorum` of those witnesses.
 */
async function checkWitnesses(key, verified, say) {
  const box = document.getElementById('witness-status');
  const keys = (localStorage.getItem('datapact.witnesses') || '').split('\n').map(k => k.trim()).filter(Boolean);
  const quorum = Number(localStorage.getItem('datapact.quorum') || '0');
  const textarea = el('textarea', { id: 'witness-keys', rows: '3', cols: '90', spellcheck: 'false' }, keys.join('\n'));
  const q = el('input', { id: 'witness-quorum', size: '3', value: String(quorum) });
  const save = el('button', { id: 'witness-save', onclick: () => { localStorage.setItem('datapact.witnesses', textarea.value); localStorage.setItem('datapact.quorum', q.value); render(); } }, 'Keep and check');
  const result = el('p', { id: 'witness-result' });
  box.replaceChildren(el('h2', {}, 'Independent witnesses'),
    el('p', { class: 'muted' }, 'Witness keys you trust (one cosignature verifier key per line, from each witness\'s operator — not from this server) and how many must have cosigned.'),
    textarea, el('p', {}, el('label', { for: 'witness-quorum' }, 'Quorum '), q, ' ', save), result);
  let w;
  try { w = await api('/api/v1/ledger/checkpoint/cosigned'); } catch {
    result.replaceChildren(keys.length && quorum > 0 ? el('span', { class: 'deny inconsistent' }, `Quorum NOT met: no witness has cosigned a checkpoint of this log (${quorum} required).`) : 'No witness has cosigned a checkpoint of this log yet.');
    return;
  }
  const c = await verifyNote(w.note, key.name, key.publicKey);
  const consistent = c.size === verified.size ? same(c.root, verified.root)
    : c.size < verified.size ? await verifyConsistency(c.size, verified.size, c.root, verified.root,
      (await api(`/api/v1/ledger/proofs/consistency?first=${c.size}&second=${verified.size}`)).proof.map(fromBase64)) : false;
  if (!consistent) { result.replaceChildren(el('span', { class: 'deny inconsistent' }, `INCONSISTENT: the cosigned checkpoint of ${c.size} entries does not match the log verified above`)); return; }
  const valid = [];
  for (const k of keys) {
    try { if (await verifyCosignature(w.note, k)) valid.push(k.split('+')[0]); } catch (e) { say(String(e.message)); }
  }
  say(`The cosigned checkpoint of ${c.size.toLocaleString('en')} entries is consistent with the verified log; valid cosignatures by ${valid.join(', ') || 'none of your witnesses'}.`);
  const met = quorum > 0 && valid.length >= quorum;
  result.replaceChildren(quorum > 0 ? el('span', { class: met ? 'allow verified' : 'deny inconsistent' },
    `${met ? 'Quorum met' : 'Quorum NOT met'}: ${valid.length} of ${keys.length} known witnesses cosigned (${quorum} required), at size ${c.size.toLocaleString('en')}.`)
    : `${valid.length} of ${keys.length} known witnesses cosigned; no quorum required.`);
}


/** A link that downloads rows as CSV (built in the browser from what the page shows). */
function csvLink(id, filename, header, rows) {
  const cell = v => { const t = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v); return /[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t; };
  const text = [header, ...rows].map(r => r.map(cell).join(',')).join('\n') + '\n';
  return el('a', { id, class: 'csv', download: filename, href: 'data:text/csv;charset=utf-8,' + encodeURIComponent(text) }, 'Download CSV');
}

/** A table of rows with a header, and its CSV link. */
function dataTable(id, header, rows, limit = 200) {
  return el('div', {}, csvLink(`${id}-csv`, `datapact-${id}.csv`, header, rows),
    rows.length > limit ? el('span', { class: 'muted' }, ` (the first ${limit} of ${rows.length} rows; the CSV has all)`) : '',
    el('table', { id }, el('tr', {}, ...header.map(h => el('th', {}, h))),
      ...rows.slice(0, limit).map(r => el('tr', {}, ...r.map(v => el('td', {}, v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v)))))));
}

/**
 * The regulator's compliance console, read-only: what the log says was released, refused, consented
 * to and decided, by month, with the duties, the reconciliation of partners' reports, conflict-of-interest
 * recusals and revenue by data source. Charts and tables, each downloadable as CSV.
 */
/** Points the console's bundle link at the period and shard chosen (each shard's bundle is signed with its own key). */
function bundleLink() {
  const period = document.getElementById('bundle-period').value;
  const shard = document.getElementById('bundle-shard');
  document.getElementById('bundle-link').href = `/api/v1/ledger/bundle?period=${encodeURIComponent(period)}` + (shard && shard.value ? `&shard=${encodeURIComponent(shard.value)}` : '');
}

async function consolePage() {
  const show = view();
  if (!me || (me.role !== 'regulator' && me.role !== 'operator')) return show(...needRole('regulator'));
  let a, duties, reports, revenue;
  try {
    [a, duties, reports, revenue] = await Promise.all([api('/api/v1/ledger/activity'), api('/api/v1/duties'), api('/api/v1/reports'), api('/api/v1/ads/revenue')]);
  } catch (e) { return show(el('h1', {}, 'Compliance console'), problem(e)); }
  const chart = id => { const c = el('div', { id, class: 'chart' }); c.style.cssText = 'width: 860px; height: 300px'; return c; };
  const charts = { releases: chart('releases-chart'), denials: chart('denials-chart'), consents: chart('consents-chart'), revenue: chart('revenue-source-chart') };
  const recusals = a.governance.filter(r => r.keys[1] === 'approval_recused');
  show(el('h1', {}, 'Compliance console'),
    el('p', { class: 'muted' }, `Counted from the ledger itself (${a.entries.toLocaleString('en')} entries), not from the platform's database: every figure here is one the log proves. `,
      el('a', { href: '#/regulator/verify' }, 'Verify the log'), ' · ', el('a', { href: '#/regulator/ledger' }, 'Ledger entries and replay'), ' · ', el('a', { href: '#/transparency' }, 'Public transparency report')),
    el('p', { id: 'shards', class: a.shards.every(s => s.current) ? 'muted' : 'alert' },
      `Every node writes its own ledger shard; these figures add up ${a.shards.length} shard${a.shards.length === 1 ? '' : 's'}: `,
      ...a.shards.flatMap((s, i) => [i ? '; ' : '', el('code', {}, s.origin), ` ${s.entries.toLocaleString('en')} entries` + (s.current ? '' : ` (as counted ${s.countedAt.slice(0, 19).replace('T', ' ')} UTC: its node is not running)`)])),
    el('p', {}, el('label', { for: 'bundle-period' }, 'Auditor bundle for '),
      el('input', { id: 'bundle-period', size: '8', value: String(new Date().getUTCFullYear()), oninput: bundleLink }), ' ',
      a.shards.length < 2 ? [] : [el('label', { for: 'bundle-shard' }, 'of shard '),
        el('select', { id: 'bundle-shard', onchange: bundleLink }, el('option', { value: '' }, "this node's"), ...a.shards.map(s => el('option', { value: s.origin }, s.origin))), ' '],
      el('a', { id: 'bundle-link', href: `/api/v1/ledger/bundle?period=${new Date().getUTCFullYear()}` }, 'Download the signed bundle'),
      el('span', { class: 'muted' }, ' — checkpoints, agreement versions, the period\'s governance entries with inclusion proofs and these tables; check it offline with ', el('code', {}, 'datapact ledger verify --bundle FILE --public-key KEY'), '.')),
    el('h2', {}, 'Releases by month and principal'), charts.releases,
    dataTable('releases', ['month', 'principal', 'agreement', 'scope', 'purpose', 'jurisdiction', 'releases'], a.releases.map(r => [...r.keys, r.count])),
    el('h2', {}, 'Denials by reason'), charts.denials,
    dataTable('denials', ['month', 'principal', 'reason', 'denials'], a.denials.map(r => [...r.keys, r.count])),
    el('h2', {}, 'Consent grants and revocations'), charts.consents,
    dataTable('consents', ['month', 'party', 'topic', 'action', 'changes'], a.consents.map(r => [...r.keys, r.count])),
    el('h2', {}, 'Duties'),
    dataTable('duties', ['partner', 'agreement', 'duty', 'kind', 'status', 'suspends', 'missing periods'], duties.map(d => [d.partner, d.agreement, d.duty, d.kind, d.status, d.suspends.join(' '), d.report ? d.report.missing.join(' ') : ''])),
    el('h2', {}, 'Reports and reconciliation'),
    dataTable('reconciliation', ['partner', 'metric', 'period', 'reported', 'observed by DataPact', 'discrepancy', 'filed', 'ledger entry'], reports.map(r => [r.partner, r.metric, r.period, r.reported, r.observed, r.discrepancy ? 'yes' : 'no', r.filedAt.slice(0, 10), r.ledgerIndex])),
    el('h2', {}, 'Conflict-of-interest refusals'),
    el('p', { id: 'recusals-total' }, `${recusals.reduce((n, r) => n + r.count, 0)} approvals refused because the approver declared an interest in the counterparty (ledgered as approval_recused).`),
    dataTable('governance', ['month', 'governance act', 'count'], a.governance.map(r => [...r.keys, r.count])),
    el('h2', {}, 'Ad revenue by data source'), charts.revenue,
    dataTable('revenue', ['data source', 'year', 'revenue (USD)'], revenue.byDataSource.map(r => [r.key, r.year, (r.revenueCents / 100).toFixed(2)])));
  try {
    const echarts = await loadEcharts();
    const stack = (node, rows, seriesKey, valueOf = r => r.count) => {
      const months = [...new Set(rows.map(r => r.keys[0]))].sort();
      const names = [...new Set(rows.map(seriesKey))].sort();
      echarts.init(node, null, { renderer: 'canvas' }).setOption({ animation: false, tooltip: { trigger: 'axis' }, legend: { data: names },
        xAxis: { type: 'category', data: months }, yAxis: { type: 'value' },
        series: names.map(n => ({ name: n, type: 'bar', stack: 's', data: months.map(m => rows.filter(r => r.keys[0] === m && seriesKey(r) === n).reduce((x, r) => x + valueOf(r), 0)) })) });
      node.dataset.drawn = 'true';
    };
    stack(charts.releases, a.releases, r => r.keys[1]);
    const reasons = [...new Set(a.denials.map(r => r.keys[2]))].sort();
    echarts.init(charts.denials, null, { renderer: 'canvas' }).setOption({ animation: false, tooltip: {}, xAxis: { type: 'category', data: reasons }, yAxis: { type: 'value' },
      series: [{ type: 'bar', data: reasons.map(k => a.denials.filter(r => r.keys[2] === k).reduce((x, r) => x + r.count, 0)), itemStyle: { color: '#b42318' } }] });
    charts.denials.dataset.drawn = 'true';
    const months = [...new Set(a.consents.map(r => r.keys[0]))].sort();
    const per = action => months.map(m => a.consents.filter(r => r.keys[0] === m && r.keys[3] === action).reduce((x, r) => x + r.count, 0));
    echarts.init(charts.consents, null, { renderer: 'canvas' }).setOption({ animation: false, tooltip: { trigger: 'axis' }, legend: { data: ['grant', 'revoke'] },
      xAxis: { type: 'category', data: months }, yAxis: { type: 'value' },
      series: [{ name: 'grant', type: 'line', data: per('grant'), itemStyle: { color: '#1f7a4d' } }, { name: 'revoke', type: 'line', data: per('revoke'), itemStyle: { color: '#b42318' } }] });
    charts.consents.dataset.drawn = 'true';
    const years = [...new Set(revenue.byDataSource.map(r => r.year))].sort();
    const sources = [...new Set(revenue.byDataSource.map(r => r.key))].sort();
    echarts.init(charts.revenue, null, { renderer: 'canvas' }).setOption({ animation: false, tooltip: { trigger: 'axis' }, legend: { data: sources },
      xAxis: { type: 'category', data: years.map(String) }, yAxis: { type: 'value', name: 'USD' },
      series: sources.map(k => ({ name: k, type: 'bar', stack: 'rev', data: years.map(y => (revenue.byDataSource.find(r => r.key === k && r.year === y)?.revenueCents ?? 0) / 100) })) });
    charts.revenue.dataset.drawn = 'true';
  } catch (e) { charts.releases.replaceChildren(problem(e)); }
}

function homePage() {
  const show = view();
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
  '#/agreements': agreementsPage, '#/operator/consents': userConsentsPage,
  '#/me/ledger': myLedgerPage, '#/regulator/ledger': regulatorLedgerPage, '#/ads': adsPage,
  '#/transparency': transparencyPage, '#/regulator/verify': verifyLogPage, '#/regulator/console': consolePage, '#/interests': interestsPage, '#/reports': reportsPage, '#/registry': registryPage, '#/erasures': erasuresPage,
};

async function render() {
  renderId++;
  const m = location.hash.match(/^#\/agreements\/([a-z0-9-]+)\/(\d+)$/);
  const auth = location.hash.startsWith('#/authorize?') ? location.hash.slice('#/authorize?'.length) : null;
  const page = m ? () => agreementPage(m[1], m[2]) : auth !== null ? () => authorizePage(auth) : routes[location.hash] || (() => view()(el('h1', {}, 'Not found'), el('p', {}, 'No such page. '), el('a', { href: '#/' }, 'Home')));
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.getAttribute('href') === location.hash);
  await page();
}

window.addEventListener('hashchange', render);
refreshWho().then(render);
