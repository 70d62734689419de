/* Halo Warga console: CSRF header for htmx, unread count in the tab title, optional sound,
   "/" canned replies, typing presence, htmx error display. No inline scripts (CSP). */
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');
  document.body.addEventListener("htmx:configRequest", function (ev) {
    if (csrf) { ev.detail.headers["X-CSRFToken"] = csrf.content; }
  });
  document.body.addEventListener("htmx:beforeSwap", function (ev) {
    var xhr = ev.detail.xhr;
    if (xhr.status >= 400) {
      var flash = document.getElementById("flash");
      if (flash) { flash.innerHTML = xhr.responseText; }
      ev.detail.shouldSwap = false;
    }
  });
  document.body.addEventListener("htmx:afterRequest", function (ev) {
    var form = ev.detail.elt;
    if (ev.detail.successful && form && form.tagName === "FORM" && form.id !== "") {
      if (form.id === "reply-form" || form.id === "note-form") {
        form.reset();
        var flash = document.getElementById("flash");
        if (flash) { flash.textContent = ""; }
      }
    }
  });

  /* Unread count in the tab title, sound once the agent allowed it. */
  var title = document.querySelector("title");
  var base = title ? title.getAttribute("data-base") : document.title;
  var lastCount = null;
  var soundOn = window.localStorage && localStorage.getItem("hw-sound") === "1";
  var toggle = document.getElementById("sound-toggle");
  var audioCtx = null;
  function renderToggle() {
    if (!toggle) { return; }
    toggle.setAttribute("aria-pressed", soundOn ? "true" : "false");
    toggle.textContent = soundOn ? (document.documentElement.lang === "en" ? "Sound: on" : "Suara: hidup")
                                 : (document.documentElement.lang === "en" ? "Sound: off" : "Suara: mati");
  }
  function beep() {
    if (!soundOn) { return; }
    try {
      audioCtx = audioCtx || new (window.AudioContext || window.webkitAudioContext)();
      var osc = audioCtx.createOscillator(), gain = audioCtx.createGain();
      osc.frequency.value = 880; gain.gain.value = 0.08;
      osc.connect(gain); gain.connect(audioCtx.destination);
      osc.start(); osc.stop(audioCtx.currentTime + 0.15);
    } catch (e) { /* no audio: the title still counts */ }
  }
  if (toggle) {
    renderToggle();
    toggle.addEventListener("click", function () {
      soundOn = !soundOn;
      localStorage.setItem("hw-sound", soundOn ? "1" : "0");
      renderToggle();
      if (soundOn) { beep(); }
    });
  }
  function setUnread(n) {
    document.title = (n > 0 ? "(" + n + ") " : "") + base;
    if (lastCount !== null && n > lastCount) { beep(); }
    lastCount = n;
  }
  var unreadUrl = document.body.getAttribute("data-unread-url");
  function pollUnread() {
    if (!unreadUrl) { return; }
    fetch(unreadUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { setUnread(data.unread); } })
      .catch(function () {});
  }
  if (unreadUrl) { pollUnread(); window.setInterval(pollUnread, 5000); }

  /* "/" canned replies in the reply box. */
  var box = document.getElementById("reply-text");
  var menu = document.getElementById("canned-menu");
  if (box && menu) {
    var options = Array.prototype.slice.call(menu.querySelectorAll("[data-shortcut]"));
    var filterMenu = function () {
      var m = /^\/(\S*)$/.exec(box.value);
      if (!m) { menu.hidden = true; return; }
      var any = false;
      options.forEach(function (o) {
        var show = o.getAttribute("data-shortcut").indexOf(m[1]) === 0;
        o.hidden = !show; any = any || show;
      });
      menu.hidden = !any;
    };
    var choose = function (o) {
      box.value = o.getAttribute("data-text");
      menu.hidden = true;
      box.focus();
    };
    box.addEventListener("input", filterMenu);
    box.addEventListener("keydown", function (ev) {
      if (menu.hidden) { return; }
      var visible = options.filter(function (o) { return !o.hidden; });
      if (ev.key === "Enter" && visible.length) { ev.preventDefault(); choose(visible[0]); }
      else if (ev.key === "ArrowDown" && visible.length) { ev.preventDefault(); visible[0].focus(); }
      else if (ev.key === "Escape") { menu.hidden = true; }
    });
    options.forEach(function (o, i) {
      o.addEventListener("click", function () { choose(o); });
      o.addEventListener("keydown", function (ev) {
        var visible = options.filter(function (x) { return !x.hidden; });
        var at = visible.indexOf(o);
        if (ev.key === "ArrowDown" && at + 1 < visible.length) { ev.preventDefault(); visible[at + 1].focus(); }
        if (ev.key === "ArrowUp") { ev.preventDefault(); (at > 0 ? visible[at - 1] : box).focus(); }
        if (ev.key === "Escape") { menu.hidden = true; box.focus(); }
      });
    });
    /* Typing presence: tell the server at most every 5 s while typing. */
    var typingUrl = box.getAttribute("data-typing-url"), lastTyping = 0;
    box.addEventListener("input", function () {
      var now = Date.now();
      if (typingUrl && now - lastTyping > 5000) {
        lastTyping = now;
        fetch(typingUrl, { credentials: "same-origin", headers: { "HX-Request": "true" } }).catch(function () {});
      }
    });
  }
})();
