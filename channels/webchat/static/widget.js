/* Halo Warga web chat widget: plain ES2019, no dependencies, one global (window.HaloWarga).
   Server text is only set with textContent (never innerHTML). */
(() => {
'use strict';
if (window.HaloWarga) return;
const S = document.currentScript || document.querySelector('script[src*="widget.js"]');
if (!S) return;
const SRC = new URL(S.src, location.href);
const cut = SRC.pathname.lastIndexOf('/webchat/');
const BASE = SRC.origin + (cut > 0 ? SRC.pathname.slice(0, cut) : '');
const API = BASE + '/webchat/sessions';
const TITLE = S.dataset.title || 'Halo Warga';
const MAX = 2000, KEY = 'haloWarga.session', LKEY = 'haloWarga.lang';

// UI strings, Indonesian first
const STR = {
  id: {
    title: 'Halo Warga — Layanan Informasi Publik', sub: 'Layanan Informasi Publik', launcher: 'Obrolan Halo Warga', unread: 'pesan baru',
    close: 'Tutup', lang: 'Bahasa', log: 'Percakapan', label: 'Pesan Anda', ph: 'Tulis pesan…', send: 'Kirim',
    intro: 'Halo! Ada yang bisa kami bantu? Tulis pertanyaan Anda tentang layanan publik.',
    bot: 'Asisten', agent: 'Petugas', citizen: 'Anda', system: 'Info', options: 'Pilihan jawaban',
    typing: 'Asisten sedang mengetik…', sending: 'Mengirim…', retry: 'Coba lagi',
    failed: 'Pesan gagal terkirim. Periksa koneksi Anda, lalu coba lagi.',
    limited: 'Terlalu banyak pesan. Tunggu sebentar, lalu coba lagi.',
    long: 'Pesan terlalu panjang. Persingkat, lalu kirim lagi.',
    attach: 'Lampirkan foto atau PDF', privacy: 'Privasi', help: 'Panduan',
    big: 'Berkas lebih dari 10 MB. Kirim yang lebih kecil.', type: 'Hanya foto JPG/PNG atau PDF yang bisa dikirim.'
  },
  en: {
    title: 'Halo Warga — Public Information Service', sub: 'Public Information Service', launcher: 'Halo Warga chat', unread: 'new messages',
    close: 'Close', lang: 'Language', log: 'Conversation', label: 'Your message', ph: 'Type a message…', send: 'Send',
    intro: 'Hello! How can we help? Type your question about public services.',
    bot: 'Assistant', agent: 'Officer', citizen: 'You', system: 'Info', options: 'Reply options',
    typing: 'Assistant is typing…', sending: 'Sending…', retry: 'Try again',
    failed: 'Message not sent. Check your connection, then try again.',
    limited: 'Too many messages. Please wait a moment, then try again.',
    long: 'Message too long. Shorten it, then send again.',
    attach: 'Attach a photo or PDF', privacy: 'Privacy', help: 'Guide',
    big: 'The file is over 10 MB. Send a smaller one.', type: 'Only JPG/PNG photos or PDFs can be sent.'
  }
};
const okLang = v => (STR.hasOwnProperty(v) ? v : null);
const t = k => STR[lang][k].replace('Halo Warga', TITLE);
const load = k => { try { return JSON.parse(localStorage.getItem(k)); } catch (e) { return null; } };
const keep = (k, v) => { try { localStorage.setItem(k, JSON.stringify(v)); } catch (e) { /* blocked */ } };

let lang = okLang(load(LKEY)) || okLang(S.dataset.lang) || 'id';
const saved = load(KEY) || {};
let sid = saved.session_id || null;
let seen = +saved.last_id || 0; // last id seen with the panel open
let lastId = 0; // highest id received
const byId = new Map(); // id -> <li>
const pending = []; // own messages without a server id yet
let isOpen = false, unread = 0, busy = 0;
let chain = Promise.resolve(), timer = 0, errs = 0, polling = false;
let waitFor = 0; // id of a "please wait" notice: its answer follows by polling

// h(tag, '#id-and-class' | 'class', {attr, text, onevent} | 'data-t key', children)
function h(tag, cls, props, kids) {
  const el = document.createElement(tag);
  if (typeof props === 'string') props = { 'data-t': props };
  if (cls) el.className = cls[0] === '#' ? (el.id = cls.slice(1)) : cls;
  Object.keys(props || {}).forEach(k => {
    const v = props[k];
    if (k === 'text') el.textContent = v;
    else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v);
  });
  (kids || []).forEach(c => c && el.appendChild(c));
  return el;
}
function icon(d) {
  const ns = 'http://www.w3.org/2000/svg', s = document.createElementNS(ns, 'svg');
  s.setAttribute('viewBox', '0 0 24 24');
  s.setAttribute('aria-hidden', 'true');
  s.appendChild(document.createElementNS(ns, 'path')).setAttribute('d', d);
  return s;
}
// data-t: text, data-tl: aria-label, data-tp: sender prefix
function tr(scope) {
  scope.querySelectorAll('[data-t]').forEach(el => { el.textContent = t(el.dataset.t); });
  scope.querySelectorAll('[data-tl]').forEach(el => el.setAttribute('aria-label', t(el.dataset.tl)));
  scope.querySelectorAll('[data-tp]').forEach(el => { el.textContent = t(el.dataset.tp) + ': '; });
}

const unreadSr = h('span', 'hw-sr');
const badgeEl = h('span', '#hw-badge', { 'aria-hidden': 'true', hidden: '' });
const launcher = h('button', '#hw-launcher', {
  type: 'button', 'aria-expanded': 'false', 'aria-controls': 'hw-panel', onclick: () => (isOpen ? close() : open())
}, [icon('M4 4h16a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H10l-5 4v-4H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1z'),
  h('span', 'hw-sr', 'launcher'), unreadSr, badgeEl]);
const sel = h('select', '#hw-lang', { 'data-tl': 'lang', onchange: () => setLang(sel.value, true) }, [
  h('option', '', { value: 'id', lang: 'id', text: 'Indonesia' }),
  h('option', '', { value: 'en', lang: 'en', text: 'English' })
]);
const list = h('ol', '#hw-messages');
const typingEl = h('div', '#hw-typing', { hidden: '' }, [
  h('span', 'hw-dots', { 'aria-hidden': 'true' }, [h('span'), h('span'), h('span')]),
  h('span', 'hw-sr', 'typing')
]);
const log = h('div', '#hw-log', { role: 'log', 'aria-live': 'polite', tabindex: '0', 'data-tl': 'log' },
  [h('p', 'hw-intro', 'intro'), list, typingEl]);
const notice = h('p', '#hw-notice', { role: 'alert', hidden: '' });
const input = h('textarea', '#hw-input', {
  rows: '1', maxlength: MAX, 'aria-describedby': 'hw-count', oninput: count,
  onkeydown: e => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) { e.preventDefault(); submit(); }
  }
});
const counter = h('span', '#hw-count');
const FILE_MAX = 10 * 1024 * 1024;
const fileIn = h('input', '#hw-file', {
  type: 'file', accept: 'image/jpeg,image/png,application/pdf', hidden: '', onchange: () => upload(fileIn.files[0])
});
const attachBtn = h('button', '#hw-attach', { type: 'button', 'data-tl': 'attach', onclick: () => fileIn.click() },
  [icon('M16.5 6.5l-7.8 7.8a2 2 0 0 0 2.8 2.8l7.8-7.8a4 4 0 0 0-5.7-5.7l-7.8 7.8a6 6 0 0 0 8.5 8.5l6.4-6.4')]);
const privacyA = h('a', '#hw-privacy', { target: '_blank', rel: 'noopener', 'data-t': 'privacy' });
const helpA = h('a', '#hw-help', { target: '_blank', rel: 'noopener', 'data-t': 'help' });
const panel = h('div', '#hw-panel', {
  role: 'dialog', 'data-tl': 'title', hidden: '',
  onkeydown: e => { if (e.key === 'Escape') { e.stopPropagation(); close(); } }
}, [
  h('div', 'hw-head', {}, [
    h('h2', '#hw-title', { text: TITLE }, [h('span', 'hw-sub', 'sub')]),
    h('div', 'hw-tools', {}, [sel,
      h('button', '#hw-close', { type: 'button', 'data-tl': 'close', onclick: () => close() }, [icon('M6 6l12 12M18 6L6 18')])])
  ]),
  log,
  h('form', '#hw-form', { onsubmit: e => { e.preventDefault(); submit(); } }, [
    notice,
    h('label', 'hw-sr', { for: 'hw-input', 'data-t': 'label' }),
    h('div', 'hw-row', {}, [attachBtn, fileIn, input, h('button', '#hw-send', { type: 'submit', 'data-t': 'send' })]),
    counter,
    h('p', 'hw-links', {}, [privacyA, h('span', '', { 'aria-hidden': 'true', text: ' · ' }), helpA])
  ])
]);
const root = h('div', '#hw-root', { hidden: '' }, [launcher, panel]); // until widget.css is in

function setLang(v, remember) {
  lang = okLang(v) || 'id';
  if (remember) {
    keep(LKEY, lang); // an explicit choice: the bot answers in it from now on
    if (sid) api('POST', '/' + encodeURIComponent(sid) + '/language', { language: lang }).catch(() => {});
  }
  root.lang = panel.lang = sel.value = lang;
  input.placeholder = t('ph');
  privacyA.href = BASE + '/privacy?lang=' + lang;
  helpA.href = BASE + '/help?lang=' + lang;
  tr(root);
  badge();
}
const save = () => keep(KEY, sid ? { session_id: sid, last_id: seen } : null);
const scrollEnd = () => { log.scrollTop = log.scrollHeight; };
function badge() {
  badgeEl.textContent = unread > 9 ? '9+' : unread;
  badgeEl.hidden = !unread;
  unreadSr.textContent = unread ? ` (${unread} ${t('unread')})` : '';
}

function renderMsg(sender, text, buttons) {
  const who = ['citizen', 'agent', 'system'].includes(sender) ? sender : 'bot';
  const li = h('li', 'hw-msg hw-msg--' + who, { 'data-sender': who }, [
    h('span', 'hw-sr', { 'data-tp': who }),
    (who === 'bot' || who === 'agent') && h('span', 'hw-name', { 'aria-hidden': 'true', 'data-t': who }),
    text && h('div', 'hw-text', { text }) // pre-wrap: newlines, "•" bullets
  ]);
  const btns = (buttons || []).filter(b => b && b.title);
  if (btns.length) {
    const g = li.appendChild(h('div', 'hw-buttons', { role: 'group', 'data-tl': 'options' }));
    btns.forEach(b => g.appendChild(h('button', 'hw-btn', {
      type: 'button', 'data-payload': b.payload || '', text: b.title,
      onclick: e => {
        g.querySelectorAll('button').forEach(x => { x.disabled = true; });
        e.currentTarget.classList.add('hw-chosen');
        send(String(b.title), b.payload);
        input.focus();
      }
    })));
  }
  tr(li);
  return list.appendChild(li);
}

// st: '' | 'sending' | 'failed' | 'limited' | 'long'; wait: seconds before retry
function setState(p, st, wait) {
  const li = p.el;
  p.busy = st === 'sending';
  li.querySelectorAll('.hw-state,.hw-error,.hw-retry').forEach(x => x.remove());
  li.classList.toggle('hw-failed', !!st && !p.busy);
  if (p.busy) li.appendChild(h('span', 'hw-state', { 'aria-hidden': 'true', 'data-t': st }));
  else if (st) {
    li.appendChild(h('p', 'hw-error', { role: 'alert', 'data-t': st }));
    if (st !== 'long') {
      const r = li.appendChild(h('button', 'hw-retry', { type: 'button', 'data-t': 'retry', onclick: () => { deliver(p); input.focus(); } }));
      if (wait) { r.disabled = true; setTimeout(() => { r.disabled = false; }, wait * 1000); }
    }
  }
  tr(li);
}

// POST replies, polls and history, deduped by id
function receive(msgs) {
  let added = 0, shown = 0;
  (msgs || []).filter(Boolean).sort((a, b) => a.id - b.id).forEach(m => {
    const id = +m.id || 0;
    let el = byId.get(id);
    if (id && el) return;
    if (id > lastId) lastId = id;
    if (waitFor && id > waitFor && m.sender !== 'citizen') waitFor = 0;
    const i = m.sender === 'citizen' ? pending.findIndex(p => m.client_message_id ? p.cid === m.client_message_id : p.text === String(m.text).trim()) : -1;
    if (i > -1) { // own message echoed back
      const p = pending.splice(i, 1)[0];
      if (!p.busy) setState(p, '');
      el = p.el;
    } else {
      el = renderMsg(m.sender, m.text == null ? '' : String(m.text), m.buttons);
      shown++;
      if (m.sender !== 'citizen' && id > seen && !isOpen) added++;
    }
    if (id) { byId.set(id, el); el.dataset.id = id; }
  });
  unread += added;
  if (isOpen && lastId > seen) seen = lastId;
  save();
  badge();
  if (shown) scrollEnd(); // leave a reader scrolled up alone when polls bring nothing
}

async function api(method, path, data) {
  const ctl = new AbortController(), tm = setTimeout(() => ctl.abort(), 20000);
  try {
    const r = await fetch(API + path, {
      method, signal: ctl.signal, body: data && JSON.stringify(data),
      headers: data ? { 'Content-Type': 'application/json' } : {}
    });
    const d = await r.json().catch(() => null);
    if (r.ok) return d || {};
    const e = new Error('HTTP ' + r.status);
    e.status = r.status;
    e.code = d && d.error && d.error.code;
    e.retry = parseInt(r.headers.get('Retry-After'), 10); // cross-origin: needs Expose-Headers
    throw e;
  } finally {
    clearTimeout(tm);
  }
}
const gone = e => e.code === 'session_not_found' || (e.status === 404 && !e.code);
const msgPath = s => '/' + encodeURIComponent(s) + '/messages';
function reset() {
  sid = null; lastId = seen = waitFor = 0;
  byId.clear();
  save();
}
function uuid() {
  const c = window.crypto;
  return c.randomUUID ? c.randomUUID() // https only; else v4 from getRandomValues
    : '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, d => (d ^ (c.getRandomValues(new Uint8Array(1))[0] & (15 >> (d / 4)))).toString(16));
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
  deliver(p);
  return true;
}
function deliver(p) {
  setState(p, 'sending');
  chain = chain.then(() => post(p)); // one at a time, in order
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
          const s = await api('POST', '', { language: lang, explicit: !!load(LKEY) });
          if (!s.session_id) throw new Error('no session_id');
          reset();
          sid = String(s.session_id);
          save();
        }
        d = await api('POST', msgPath(sid), body);
      } catch (e) {
        if (!gone(e) || tries) throw e;
        reset(); // expired: new session, resend
      }
    }
    setState(p, '');
    receive([d.message, ...(d.messages || [])]); // own message first: it gets its server id
    if (d.pending) waitFor = Math.max(0, ...(d.messages || []).map(m => +m.id || 0)) || lastId;
  } catch (e) {
    if (e.code === 'message_too_long' || e.status === 413) {
      if (input.value) setState(p, 'long');
      else { p.el.remove(); input.value = p.text; count(); showNotice('long'); } // back in the box
    } else if (e.code === 'rate_limited' || e.status === 429) {
      setState(p, 'limited', Math.min(e.retry > 0 ? e.retry : 5, 120));
    } else setState(p, 'failed'); // retry keeps client_message_id
  }
  busy--; typing();
  schedule();
}
// A photo or PDF: checked here for size, on the server by content; replies come back as messages
async function upload(file) {
  fileIn.value = '';
  if (!file) return;
  if (file.size > FILE_MAX) { showNotice('big'); return; }
  showNotice('');
  busy++; typing();
  try {
    if (!sid) {
      const s = await api('POST', '', { language: lang, explicit: !!load(LKEY) });
      reset();
      sid = String(s.session_id);
      save();
    }
    const form = new FormData();
    form.append('file', file, file.name);
    const r = await fetch(API + '/' + encodeURIComponent(sid) + '/attachments', { method: 'POST', body: form });
    const d = await r.json().catch(() => null);
    if (!r.ok) {
      const code = d && d.error && d.error.code;
      showNotice(code === 'file_too_large' || r.status === 413 ? 'big' : code === 'unsupported_type' ? 'type' : 'failed');
    } else receive([d.message, ...(d.messages || [])]);
  } catch (e) {
    showNotice('failed');
  }
  busy--; typing();
  schedule();
}
function typing() {
  typingEl.hidden = !busy && !waitFor;
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
}

// Poll every 3 s open, 15 s closed; back off on errors; pause while the tab is hidden
function schedule(ms) {
  clearTimeout(timer);
  if (sid && !document.hidden) timer = setTimeout(poll, ms != null ? ms : Math.min((waitFor ? 1000 : isOpen ? 3000 : 15000) * 2 ** errs, 60000));
}
async function poll() {
  if (!sid || document.hidden || polling) return;
  polling = true;
  const s = sid;
  try {
    const d = await api('GET', msgPath(s) + '?after=' + lastId);
    if (s === sid) { errs = 0; const w = waitFor; receive(d.messages); if (w !== waitFor) typing(); }
  } catch (e) {
    if (s === sid) gone(e) ? reset() : (errs = Math.min(errs + 1, 4));
  }
  polling = false;
  schedule();
}
document.addEventListener('visibilitychange', () => (document.hidden ? clearTimeout(timer) : schedule(0)));

function open() {
  isOpen = true;
  panel.hidden = false;
  launcher.setAttribute('aria-expanded', 'true');
  unread = 0;
  if (lastId > seen) seen = lastId;
  save();
  badge();
  scrollEnd();
  input.focus();
  schedule(0);
}
function close() {
  if (!isOpen) return;
  const a = document.activeElement;
  isOpen = false;
  panel.hidden = true;
  launcher.setAttribute('aria-expanded', 'false');
  if (!a || a === document.body || panel.contains(a)) launcher.focus();
  schedule();
}
window.HaloWarga = { open, close };

setLang(lang);
const show = () => { root.hidden = false; };
document.head.appendChild(h('link', '', { rel: 'stylesheet', href: new URL('widget.css', SRC).href, onload: show, onerror: show }));
const attach = () => document.body.appendChild(root);
document.body ? attach() : addEventListener('DOMContentLoaded', attach);
if (sid) schedule(0); // history after a reload
})();
