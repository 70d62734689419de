/* Halo Warga web chat widget: plain ES2019, no dependencies, one global (window.HaloWarga).
   Server text is only ever set with textContent, never innerHTML. */
(() => {
'use strict';
if (window.HaloWarga) return;
const S = document.currentScript || document.querySelector('script[src*="widget.js"]');
if (!S) return;
const SRC = new URL(S.src, location.href);
const cut = SRC.pathname.lastIndexOf('/webchat/');
const BASE = S.dataset.api || SRC.origin + (cut > 0 ? SRC.pathname.slice(0, cut) : '');
const TITLE = S.dataset.title || 'Halo Warga';
const MAX = 2000, KEY = 'haloWarga.session', LKEY = 'haloWarga.lang';

// All UI strings, Indonesian first.
const STR = {
  id: {
    title: 'Halo Warga — Layanan Informasi Publik', launcher: 'Obrolan Halo Warga', unread: 'pesan baru',
    close: 'Tutup', lang: 'Bahasa', log: 'Percakapan', label: 'Pesan Anda', ph: 'Tulis pesan…', send: 'Kirim',
    intro: 'Halo! Ada yang bisa kami bantu? Tulis pertanyaan Anda tentang layanan publik.',
    bot: 'Asisten', agent: 'Petugas', citizen: 'Anda', options: 'Pilihan jawaban',
    typing: 'Asisten sedang mengetik…', sending: 'Mengirim…', retry: 'Coba lagi',
    failed: 'Pesan gagal terkirim. Periksa koneksi Anda, lalu coba lagi.',
    limited: 'Terlalu banyak pesan. Tunggu sebentar, lalu coba lagi.',
    long: 'Pesan terlalu panjang (maksimal 2000 karakter). Silakan persingkat.'
  },
  en: {
    title: 'Halo Warga — Public Information Service', launcher: 'Halo Warga chat', unread: 'new messages',
    close: 'Close', lang: 'Language', log: 'Conversation', label: 'Your message', ph: 'Type a message…', send: 'Send',
    intro: 'Hello! How can we help? Type your question about public services.',
    bot: 'Assistant', agent: 'Officer', citizen: 'You', options: 'Reply options',
    typing: 'Assistant is typing…', sending: 'Sending…', retry: 'Try again',
    failed: 'Message not sent. Check your connection, then try again.',
    limited: 'Too many messages. Please wait a moment, then try again.',
    long: 'Message too long (2000 characters at most). Please shorten it.'
  }
};
const okLang = (v) => (v === 'id' || v === 'en' ? v : null);
const t = (k) => STR[lang][k].replace('Halo Warga', TITLE);
const load = (k) => { try { return JSON.parse(localStorage.getItem(k)); } catch (e) { return null; } };
const keep = (k, v) => { try { localStorage.setItem(k, JSON.stringify(v)); } catch (e) { /* storage blocked */ } };

let lang = okLang(load(LKEY)) || okLang(S.dataset.lang) || 'id';
const saved = load(KEY) || {};
let sid = typeof saved.session_id === 'string' ? saved.session_id : null;
let seen = +saved.last_id || 0; // last id shown with the panel open (drives the unread badge)
let lastId = 0; // highest id received; polls ask for ids above it
const byId = new Map(); // id -> <li>, dedupes
const pending = []; // citizen messages sent from this page, not yet matched to a server id
let isOpen = false, wantOpen = false, attached = false, unread = 0, busy = 0;
let chain = Promise.resolve(), timer = 0, errs = 0, polling = false;

function h(tag, props, kids) {
  const el = document.createElement(tag);
  Object.keys(props || {}).forEach((k) => {
    const v = props[k];
    if (k === 'text') el.textContent = v;
    else if (k === 'class') el.className = v;
    else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v);
  });
  (kids || []).forEach((c) => c && el.appendChild(c));
  return el;
}
function icon(d) {
  const ns = 'http://www.w3.org/2000/svg', s = document.createElementNS(ns, 'svg'), p = document.createElementNS(ns, 'path');
  s.setAttribute('viewBox', '0 0 24 24');
  s.setAttribute('aria-hidden', 'true');
  s.setAttribute('class', 'hw-icon');
  p.setAttribute('d', d);
  s.appendChild(p);
  return s;
}
// Elements carry data-t (text), data-tl (aria-label) or data-tp (sender prefix) keys, re-applied on language change.
function tr(scope) {
  scope.querySelectorAll('[data-t]').forEach((el) => { el.textContent = t(el.dataset.t); });
  scope.querySelectorAll('[data-tl]').forEach((el) => el.setAttribute('aria-label', t(el.dataset.tl)));
  scope.querySelectorAll('[data-tp]').forEach((el) => { el.textContent = t(el.dataset.tp) + ': '; });
}

/* ---- DOM ---- */
const unreadSr = h('span', { class: 'hw-sr' });
const badgeEl = h('span', { id: 'hw-badge', class: 'hw-badge', 'aria-hidden': 'true', hidden: '' });
const launcher = h('button', {
  type: 'button', id: 'hw-launcher', class: 'hw-launcher', 'aria-expanded': 'false', 'aria-controls': 'hw-panel',
  onclick: () => (isOpen ? close() : open())
}, [icon('M4 4h16a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H10l-5 4v-4H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1z'),
  h('span', { class: 'hw-sr', 'data-t': 'launcher' }), unreadSr, badgeEl]);
const live = h('div', { class: 'hw-sr', role: 'status' });
const sel = h('select', { id: 'hw-lang', class: 'hw-lang', 'data-tl': 'lang', onchange: () => setLang(sel.value, true) }, [
  h('option', { value: 'id', lang: 'id', text: 'Indonesia' }),
  h('option', { value: 'en', lang: 'en', text: 'English' })
]);
const list = h('ol', { id: 'hw-messages', class: 'hw-list' });
const typingEl = h('div', { id: 'hw-typing', class: 'hw-typing', hidden: '' }, [
  h('span', { class: 'hw-dots', 'aria-hidden': 'true' }, [h('span'), h('span'), h('span')]),
  h('span', { class: 'hw-sr', 'data-t': 'typing' })
]);
const log = h('div', { id: 'hw-log', class: 'hw-log', role: 'log', 'aria-live': 'polite', tabindex: '0', 'data-tl': 'log' },
  [h('p', { class: 'hw-intro', 'data-t': 'intro' }), list, typingEl]);
const notice = h('p', { id: 'hw-error', class: 'hw-notice', role: 'alert', hidden: '' });
const input = h('textarea', {
  id: 'hw-input', class: 'hw-input', rows: '1', maxlength: MAX, 'aria-describedby': 'hw-count', oninput: count,
  onkeydown: (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) { e.preventDefault(); submit(); }
  }
});
const counter = h('span', { id: 'hw-count', class: 'hw-count' });
const panel = h('div', {
  id: 'hw-panel', class: 'hw-panel', role: 'dialog', 'data-tl': 'title', hidden: '',
  onkeydown: (e) => { if (e.key === 'Escape') { e.stopPropagation(); close(); } }
}, [
  h('div', { class: 'hw-head' }, [
    h('h2', { id: 'hw-title', class: 'hw-title', 'data-t': 'title' }), sel,
    h('button', { type: 'button', id: 'hw-close', class: 'hw-close', 'data-tl': 'close', onclick: () => close() },
      [icon('M6 6l12 12M18 6L6 18')])
  ]),
  log,
  h('form', { id: 'hw-form', class: 'hw-form', onsubmit: (e) => { e.preventDefault(); submit(); } }, [
    notice,
    h('label', { for: 'hw-input', class: 'hw-sr', 'data-t': 'label' }),
    h('div', { class: 'hw-row' }, [input, h('button', { type: 'submit', id: 'hw-send', class: 'hw-send', 'data-t': 'send' })]),
    counter
  ])
]);
const root = h('div', { id: 'hw-root', class: 'hw-root' }, [launcher, panel, live]);

function setLang(v, remember) {
  lang = okLang(v) || 'id';
  if (remember) keep(LKEY, lang);
  root.lang = panel.lang = sel.value = lang;
  input.placeholder = t('ph');
  tr(root);
  badge();
}
function save() {
  if (sid) keep(KEY, { session_id: sid, last_id: seen });
  else try { localStorage.removeItem(KEY); } catch (e) { /* storage blocked */ }
}
function scrollEnd() { log.scrollTop = log.scrollHeight; }
function badge() {
  badgeEl.textContent = unread > 9 ? '9+' : unread;
  badgeEl.hidden = !unread;
  unreadSr.textContent = unread ? ` (${unread} ${t('unread')})` : '';
}

/* ---- Messages ---- */
function renderMsg(sender, text, buttons) {
  const who = sender === 'citizen' || sender === 'agent' ? sender : 'bot';
  const li = h('li', { class: 'hw-msg hw-msg--' + who, 'data-sender': who }, [
    h('span', { class: 'hw-sr', 'data-tp': who }),
    who !== 'citizen' && h('span', { class: 'hw-name', 'aria-hidden': 'true', 'data-t': who }),
    text && h('div', { class: 'hw-text', text }) // white-space: pre-wrap shows newlines and "•" bullets
  ]);
  const btns = (Array.isArray(buttons) ? buttons : []).filter((b) => b && b.title);
  if (btns.length) {
    const g = li.appendChild(h('div', { class: 'hw-buttons', role: 'group', 'data-tl': 'options' }));
    btns.forEach((b) => g.appendChild(h('button', {
      type: 'button', class: 'hw-btn', 'data-payload': b.payload || '', text: b.title,
      onclick: (e) => {
        g.querySelectorAll('button').forEach((x) => { x.disabled = true; });
        e.currentTarget.classList.add('hw-chosen');
        send(String(b.title), b.payload);
        input.focus();
      }
    })));
  }
  tr(li);
  return list.appendChild(li);
}

// st: '' (sent) | 'sending' | 'failed' | 'limited' | 'long'; wait = seconds before retry is allowed.
function setState(p, st, wait) {
  const li = p.el;
  p.busy = st === 'sending';
  li.querySelectorAll('.hw-state,.hw-error,.hw-retry').forEach((x) => x.remove());
  li.classList.toggle('hw-failed', !!st && !p.busy);
  if (p.busy) li.appendChild(h('span', { class: 'hw-state', 'aria-hidden': 'true', 'data-t': 'sending' }));
  else if (st) {
    li.appendChild(h('p', { class: 'hw-error', role: 'alert', 'data-t': st }));
    if (st !== 'long') {
      const r = li.appendChild(h('button', { type: 'button', class: 'hw-retry', 'data-t': 'retry', onclick: () => { deliver(p); input.focus(); } }));
      if (wait) { r.disabled = true; setTimeout(() => { r.disabled = false; }, wait * 1000); }
    }
  }
  tr(li);
}

// Server messages from POST replies, polls and history; deduplicated by id.
function receive(msgs) {
  let added = 0;
  (Array.isArray(msgs) ? msgs : []).filter((m) => m && typeof m === 'object').sort((a, b) => a.id - b.id).forEach((m) => {
    const id = +m.id || 0;
    if (id && byId.has(id)) return;
    if (id > lastId) lastId = id;
    if (m.sender === 'citizen') { // our own message coming back: attach its id to the bubble already shown
      const text = String(m.text || '').trim();
      const i = pending.findIndex((p) => p.cid === m.client_message_id || p.text === text);
      if (i > -1) {
        const p = pending.splice(i, 1)[0];
        if (!p.busy) setState(p, '');
        if (id) { byId.set(id, p.el); p.el.dataset.id = id; }
        return;
      }
    }
    const el = renderMsg(m.sender, m.text == null ? '' : String(m.text), m.buttons);
    if (id) { byId.set(id, el); el.dataset.id = id; }
    if (m.sender !== 'citizen' && id > seen && !isOpen) added++;
  });
  if (added) live.textContent = (unread += added) + ' ' + t('unread');
  if (isOpen && lastId > seen) seen = lastId;
  save();
  badge();
  scrollEnd();
}

/* ---- Network ---- */
async function api(method, path, data) {
  const ctl = new AbortController(), tm = setTimeout(() => ctl.abort(), 20000);
  try {
    const r = await fetch(BASE + '/webchat/sessions' + path, {
      method, signal: ctl.signal,
      headers: data ? { 'Content-Type': 'application/json' } : {},
      body: data ? JSON.stringify(data) : undefined
    });
    const d = await r.json().catch(() => null);
    if (r.ok) return d || {};
    const err = (d && d.error) || {}, e = new Error(err.message || 'HTTP ' + r.status);
    e.status = r.status;
    e.code = err.code;
    e.retry = parseInt(r.headers.get('Retry-After'), 10); // needs Access-Control-Expose-Headers cross-origin
    throw e;
  } finally {
    clearTimeout(tm);
  }
}
const gone = (e) => e.code === 'session_not_found' || (e.status === 404 && !e.code);
const msgPath = (s) => '/' + encodeURIComponent(s) + '/messages';

function reset() {
  sid = null; lastId = 0; seen = 0;
  byId.clear();
  save();
}

function uuid() {
  const c = window.crypto;
  if (c && c.randomUUID) return c.randomUUID();
  const b = new Uint8Array(16);
  if (c && c.getRandomValues) c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.random() * 256;
  b[6] = (b[6] & 15) | 64;
  b[8] = (b[8] & 63) | 128;
  const x = Array.from(b, (v) => (v + 256).toString(16).slice(1)).join('');
  return [x.slice(0, 8), x.slice(8, 12), x.slice(12, 16), x.slice(16, 20), x.slice(20)].join('-');
}

function submit() {
  if (send(input.value)) { input.value = ''; count(); }
  input.focus();
}

function send(raw, payload) {
  const text = raw.trim();
  if (!text) return false;
  if (text.length > MAX) { showNotice('long'); return false; }
  showNotice('');
  const p = { text, payload, cid: uuid(), el: renderMsg('citizen', text) };
  if (pending.push(p) > 20) pending.shift();
  scrollEnd();
  deliver(p);
  return true;
}

function deliver(p) {
  setState(p, 'sending');
  chain = chain.then(() => post(p)); // one send at a time keeps the conversation in order
}

async function post(p) {
  busy++; typing();
  const body = { text: p.text, client_message_id: p.cid };
  if (p.payload != null) body.payload = String(p.payload);
  try {
    let d;
    for (let tries = 0; !d; tries++) {
      try {
        if (!sid) {
          const s = await api('POST', '', { language: lang });
          if (!s.session_id) throw new Error('no session_id');
          reset();
          sid = String(s.session_id);
          save();
        }
        d = await api('POST', msgPath(sid), body);
      } catch (e) {
        if (!gone(e) || tries) throw e;
        reset(); // expired session: start a new one and resend, transparently
      }
    }
    setState(p, '');
    receive(d.messages);
  } catch (e) {
    if (e.code === 'message_too_long' || e.status === 413) {
      setState(p, 'long');
      if (!input.value) { input.value = p.text; count(); } // nothing lost: back in the box to shorten
    } else if (e.code === 'rate_limited' || e.status === 429) {
      setState(p, 'limited', Math.min(e.retry > 0 ? e.retry : 5, 120));
    } else setState(p, 'failed'); // retry reuses client_message_id, so the server will not duplicate it
    scrollEnd();
  }
  busy--; typing();
  schedule();
}

function typing() {
  typingEl.hidden = !busy;
  scrollEnd();
}
function showNotice(k) {
  notice.hidden = !k;
  notice.textContent = k ? t(k) : '';
}
function count() {
  const n = input.value.length;
  counter.textContent = n >= MAX - 200 ? n + '/' + MAX : '';
  counter.classList.toggle('hw-count--max', n >= MAX);
  input.style.height = 'auto';
  input.style.height = input.scrollHeight + input.offsetHeight - input.clientHeight + 'px';
}

/* ---- Polling: 3 s open, 15 s closed, exponential backoff on errors, paused while the tab is hidden ---- */
function schedule(ms) {
  clearTimeout(timer);
  if (!sid || document.hidden) return;
  const base = isOpen ? 3000 : 15000;
  timer = setTimeout(poll, ms != null ? ms : Math.min(base * 2 ** errs, 60000));
}
async function poll() {
  if (!sid || document.hidden || polling) return;
  polling = true;
  const s = sid;
  try {
    const d = await api('GET', msgPath(s) + '?after=' + lastId);
    if (s === sid) { errs = 0; receive(d.messages); }
  } catch (e) {
    if (s === sid) { if (gone(e)) reset(); else errs = Math.min(errs + 1, 5); }
  }
  polling = false;
  schedule();
}
document.addEventListener('visibilitychange', () => (document.hidden ? clearTimeout(timer) : schedule(0)));

/* ---- Open / close ---- */
function open() {
  if (!attached) { wantOpen = true; return; }
  isOpen = true;
  panel.hidden = false;
  launcher.setAttribute('aria-expanded', 'true');
  unread = 0;
  live.textContent = '';
  if (lastId > seen) seen = lastId;
  save();
  badge();
  scrollEnd();
  input.focus();
  schedule(0);
}
function close() {
  wantOpen = false;
  if (!isOpen) return;
  const a = document.activeElement, back = !a || a === document.body || panel.contains(a);
  isOpen = false;
  panel.hidden = true;
  launcher.setAttribute('aria-expanded', 'false');
  if (back) launcher.focus();
  schedule();
}
window.HaloWarga = { open, close };

/* ---- Start: load the stylesheet first (no flash of unstyled widget), then attach ---- */
setLang(lang);
const ready = [new Promise((res) => {
  document.head.appendChild(h('link', { rel: 'stylesheet', href: new URL('widget.css', SRC).href, onload: res, onerror: res }));
  setTimeout(res, 8000);
}), new Promise((res) => (document.body ? res() : addEventListener('DOMContentLoaded', res)))];
Promise.all(ready).then(() => {
  document.body.appendChild(root);
  attached = true;
  count();
  if (wantOpen) open();
});
if (sid) schedule(0); // history (after=0) restores the conversation after a reload
})();
