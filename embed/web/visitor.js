// visitor.js: what a visitor of /s/, /u/ and /r/ can do before the wasm has
// arrived, and what survives when it takes the page over.
//
// The server prerenders the visitor pages. Before the wasm runs:
//   - a gallery tile opens its preview in a light viewer (#early-viewer),
//     which the app's own viewer replaces at takeover (same file);
//   - a link's password or passcode form sends to the same unlock API the
//     app uses (same session cookie, same refusals and throttle);
//   - whatever is typed into a prerendered field is kept, and another form
//     sent before the app (a reviewer's name) is sent by the app once it runs.
// go-app does not adopt the prerendered DOM: when the wasm mounts it
// replaces the body's first element with a tree of its own. This script sees
// that replacement and puts what was typed back into the new fields of the
// same id (firing input so the app's state has it), with the focus and caret.
(function () {
  'use strict';

  const root = document.body && document.body.firstElementChild;
  const typed = {};      // field id → value typed before the takeover
  let focused = null;    // {id, start, end} of the focused field
  let takenOver = !root;
  let pendingUnlock = false;
  let queued = '';       // id of a form sent before the app ran that only the app can send

  const early = { takenOver: () => takenOver };
  window.ferryEarly = early;
  document.documentElement.dataset.early = 'ready';

  function isField(el) {
    return el && el.id && (el.tagName === 'TEXTAREA' ||
      (el.tagName === 'INPUT' && !/^(file|checkbox|radio|submit|button|hidden)$/.test(el.type)));
  }

  document.addEventListener('input', function (e) {
    if (!takenOver && isField(e.target)) typed[e.target.id] = e.target.value;
  }, true);
  document.addEventListener('focusin', function (e) {
    if (!takenOver) focused = isField(e.target) ? { id: e.target.id } : null;
  }, true);

  // ---- takeover ---------------------------------------------------------

  function onTakeover() {
    takenOver = true;
    document.documentElement.dataset.early = 'done';
    const active = document.activeElement;
    if (focused && active && active.id === focused.id && active.selectionStart != null) {
      focused.start = active.selectionStart;
      focused.end = active.selectionEnd;
    }
    restore();
  }

  // restore puts typed values into the app's fields as they appear (the
  // app's first render may still be loading the link).
  function restore() {
    const left = Object.keys(typed);
    if (!left.length && !queued) return;
    const until = Date.now() + 15000;
    const put = function () {
      if (!left.length) return sendQueued() || Date.now() > until;
      for (let i = left.length - 1; i >= 0; i--) {
        const el = document.getElementById(left[i]);
        if (!isField(el) || !el.isConnected || el.closest('#early-viewer')) continue;
        const v = typed[left[i]];
        if (el.value !== v) {
          el.value = v;
          el.dispatchEvent(new Event('input', { bubbles: true }));
        }
        if (focused && focused.id === left[i] && document.activeElement !== el) {
          el.focus({ preventScroll: true });
          if (focused.start != null && el.setSelectionRange) {
            try { el.setSelectionRange(focused.start, focused.end); } catch (err) { /* not a text field */ }
          }
        }
        left.splice(i, 1);
      }
      if (!left.length) return sendQueued() || Date.now() > until;
      return Date.now() > until;
    };
    if (put()) return;
    const mo = new MutationObserver(function () { if (put()) mo.disconnect(); });
    mo.observe(document.body, { childList: true, subtree: true });
    setTimeout(function () { mo.disconnect(); }, 15000);
  }

  // sendQueued has the app send the form sent before it ran, once the app
  // has drawn it; it reports whether nothing is left to send.
  function sendQueued() {
    if (!queued) return true;
    const form = document.getElementById(queued);
    if (!form || !form.isConnected || typeof form.requestSubmit !== 'function') return false;
    queued = '';
    form.requestSubmit();
    return true;
  }

  if (root) {
    new MutationObserver(function (_, mo) {
      if (!root.isConnected) {
        mo.disconnect();
        onTakeover();
      }
    }).observe(document.body, { childList: true });
  }

  // ---- the gallery's light viewer --------------------------------------

  const closeIcon = '<svg class="ic" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" ' +
    'stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M18 6L6 18M6 6l12 12"/></svg>';
  let opener = null;

  function openViewer(tile) {
    closeViewer();
    const name = tile.getAttribute('title') || '';
    const v = document.createElement('div');
    v.id = 'early-viewer';
    v.className = 'sv sv-early';
    v.setAttribute('role', 'dialog');
    v.setAttribute('aria-modal', 'true');
    v.setAttribute('aria-label', name);
    v.dataset.id = tile.dataset.id || '';
    v.innerHTML = '<div class="sv-stage"><div class="sv-bar"><span class="sv-title"></span>' +
      '<button type="button" id="early-viewer-close" class="sv-btn sv-close" aria-label="Close (Esc)" title="Close (Esc)">' +
      closeIcon + '</button></div><div class="sv-frame"><img class="sv-img" alt=""></div></div>';
    v.querySelector('.sv-title').textContent = name;
    const img = v.querySelector('img');
    img.alt = name;
    img.src = tile.getAttribute('href');
    v.querySelector('#early-viewer-close').addEventListener('click', closeViewer);
    opener = tile;
    document.body.appendChild(v);
    document.documentElement.classList.add('sv-lock');
    v.querySelector('#early-viewer-close').focus({ preventScroll: true });
  }

  function closeViewer() {
    const v = document.getElementById('early-viewer');
    if (!v) return;
    v.remove();
    document.documentElement.classList.remove('sv-lock');
    if (opener && opener.isConnected) opener.focus({ preventScroll: true });
    opener = null;
  }

  // handOver gives the app the file open in the light viewer and removes
  // it: the app opens its own viewer on that file.
  early.handOver = function () {
    const v = document.getElementById('early-viewer');
    if (!v) return '';
    const id = v.dataset.id;
    v.remove();
    opener = null;
    return id;
  };

  document.addEventListener('click', function (e) {
    if (takenOver || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    const tile = e.target.closest && e.target.closest('a.gallery-tile');
    if (!tile || !tile.classList.contains('is-image')) return; // other files: the link opens them
    const href = tile.getAttribute('href') || '';
    if (!href || href.charAt(0) === '#') return;
    e.preventDefault();
    openViewer(tile);
  }, true);

  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && document.getElementById('early-viewer')) {
      e.preventDefault();
      closeViewer();
    }
  }, true);

  // ---- password and passcode before the app -----------------------------

  // The forms the server prerenders: the field sent and the page's link key.
  const forms = {
    'share-password-form': { field: 'share-password', name: 'password' },
    'review-password-form': { field: 'review-password', name: 'password' },
    'passcode-form': { field: 'passcode', name: 'passcode' }
  };

  function linkKey() {
    const m = /^\/[sur]\/([0-9A-Za-z]+)/.exec(location.pathname);
    return m ? m[1] : '';
  }

  function showError(form, text) {
    let box = form.querySelector('.alert-error');
    if (!box) {
      box = document.createElement('div');
      box.className = 'alert alert-error';
      box.setAttribute('role', 'alert');
      form.insertBefore(box, form.querySelector('button[type=submit]'));
    }
    box.textContent = text;
  }

  document.addEventListener('submit', function (e) {
    const form = e.target;
    const spec = forms[form.id];
    if (takenOver) return;
    e.preventDefault(); // nothing prerendered is sent by the browser itself
    if (!spec) {
      if (form.id && !queued) {
        queued = form.id;
        const button = form.querySelector('button[type=submit]');
        if (button) { button.disabled = true; button.textContent = 'One moment…'; }
      }
      return;
    }
    const input = document.getElementById(spec.field);
    const button = form.querySelector('button[type=submit]');
    const key = linkKey();
    if (!input || !key || pendingUnlock) return;
    let value = input.value;
    if (spec.name === 'passcode') {
      value = value.replace(/\s+/g, '');
      if (!/^[0-9]{6}$/.test(value)) {
        showError(form, 'The passcode is the 6 digits from the second email.');
        return;
      }
    }
    pendingUnlock = true;
    const label = button ? button.textContent : '';
    if (button) { button.disabled = true; button.textContent = 'Checking…'; }
    const body = {};
    body[spec.name] = value;
    fetch('/api/v2/public/links/' + key + '/unlock', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (doc) { return { ok: res.ok, doc: doc }; });
    }).then(function (r) {
      pendingUnlock = false;
      if (r.ok) {
        // The session cookie is set: the app loads the link with it.
        delete typed[spec.field];
        const box = form.querySelector('.alert-error');
        if (box) box.remove();
        document.documentElement.dataset.unlocked = key;
        if (takenOver) { location.reload(); return; }
        if (button) button.textContent = 'Opening…';
        return;
      }
      const err = r.doc && r.doc.errors && r.doc.errors[0];
      if (button) { button.disabled = false; button.textContent = label; }
      input.value = '';
      delete typed[spec.field];
      input.focus();
      const why = (err && (err.detail || err.title)) || 'that did not work; try again.';
      showError(form, why.charAt(0).toUpperCase() + why.slice(1)); // as the app words it
    }, function () {
      pendingUnlock = false;
      if (button) { button.disabled = false; button.textContent = label; }
      showError(form, 'The server could not be reached; try again.');
    });
  }, true);
})();
