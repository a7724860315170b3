// uploader.js: Ferry's resumable uploader, a small tus 1.0.0 client plus the
// upload panel. It lives outside the go-app root so uploads keep running while
// the app navigates; the app talks to it through window.ferryUploads and
// listens for the ferry:upload-* events.
//
// Files are sent in File.slice() chunks (never read whole into memory); each
// upload URL is kept in localStorage so a closed tab can resume; network
// trouble is retried with backoff after asking the server where it stopped.
(function () {
  'use strict';

  const STORE_KEY = 'ferry.tus.v1';
  const DEFAULT_ENDPOINT = '/api/v2/tus/';
  const BACKOFF = [500, 1000, 2000, 4000, 8000]; // then STEADY_RETRY
  const STEADY_RETRY = 10000;
  const RENDER_EVERY = 200;     // ms between DOM updates: at most 5 a second
  const SPEED_WINDOW = 5000;    // ms of samples behind the speed figures
  const SPEED_MIN_SPAN = 1000;  // ms of samples before a speed is shown
  const HEARTBEAT = 10000;      // ms between "still alive" stamps on stored uploads
  const LIVE_ELSEWHERE = 30000; // a stored upload stamped this recently belongs to another tab
  const HIDE_AFTER_DONE = 6000; // ms a successful batch stays on screen
  const ACTIVE = ['queued', 'uploading'];

  const api = {
    concurrency: 3,
    chunkSize: 16 * 1024 * 1024,
    stallTimeout: 60000, // ms without upload progress before a PATCH is given up and retried
    add: add,
    addDataTransfer: addDataTransfer,
    pause: pause,
    resume: resume,
    cancel: cancel,
    pauseAll: pauseAll,
    resumeAll: resumeAll,
    state: state,
    unfinished: unfinished,
    // link is the key of the upload or share link this page sends through
    // (the link's page sets it); its uploads carry the Ferry-Link header,
    // and Ferry-Session when an invitation bound the link to this browser.
    link: '',
    // panel false: the page lists the uploads itself (ferry:uploads-changed
    // and state()), so the floating panel stays hidden.
    panel: true
  };
  window.ferryUploads = api;

  let items = [];     // every upload added on this page, oldest first
  let seq = 0;        // row numbers: ferry-upload-<n>
  let batch = 0;      // the panel shows the current batch only
  let walking = 0;    // dropped folders still being read
  let moved = 0;      // bytes put on the wire this page, for the total speed
  let moveSamples = [];
  let notice = [];    // unfinished uploads of earlier visits: [{fp, entry}]
  let noticeNote = '';

  // ---- stored uploads (resume after the tab closes) -------------------------

  function readStore() {
    try {
      const s = JSON.parse(localStorage.getItem(STORE_KEY) || '{}');
      return s && typeof s === 'object' ? s : {};
    } catch (e) {
      return {};
    }
  }

  function writeStore(s) {
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify(s));
    } catch (e) { /* storage full or disabled: uploads still work, only cross-visit resume is lost */ }
  }

  function remember(it) {
    const s = readStore();
    const now = Date.now();
    s[it.fingerprint] = {
      uploadUrl: it.url, name: it.name, size: it.size, parentId: it.opts.parentId || '', link: it.opts.link || '',
      startedAt: (s[it.fingerprint] && s[it.fingerprint].startedAt) || now, touchedAt: now
    };
    writeStore(s);
  }

  function forget(fp) {
    const s = readStore();
    if (fp in s) {
      delete s[fp];
      writeStore(s);
    }
  }

  // stampHeld marks the uploads this tab holds (running or paused). While
  // the tab lives it stamps them every HEARTBEAT, so another tab neither
  // offers them as "unfinished" nor lets Dismiss delete them; when the tab
  // goes it stamps them 0, so a tab opened next offers them at once.
  function stampHeld(time) {
    const held = items.filter(function (it) {
      return it.url && it.size > 0 && (ACTIVE.includes(it.status) || it.status === 'paused');
    });
    if (!held.length) return;
    const s = readStore();
    held.forEach(function (it) {
      if (s[it.fingerprint]) s[it.fingerprint].touchedAt = time;
    });
    writeStore(s);
  }
  setInterval(function () { stampHeld(Date.now()); }, HEARTBEAT);
  window.addEventListener('pagehide', function () { stampHeld(0); });
  window.addEventListener('pageshow', function (e) {
    if (e.persisted) stampHeld(Date.now()); // back from the back/forward cache
  });

  // fingerprint names an upload of file to a target; a link's uploads use
  // "link:KEY" as their target folder, "link:KEY/FOLDER" into one of its
  // folders (keys and ids hold no '/' or '|').
  function fingerprint(file, opts) {
    const target = opts.link ? 'link:' + opts.link + (opts.parentId ? '/' + opts.parentId : '') : (opts.parentId || '');
    return [file.name, file.size, file.lastModified, target, opts.versionOf || '', opts.attachmentOf || ''].join('|');
  }

  // parseFingerprint reverses fingerprint(); the name may itself hold '|',
  // the five fields after it cannot.
  function parseFingerprint(fp) {
    const parts = fp.split('|');
    const tail = parts.splice(parts.length - 5, 5);
    const target = tail[2].indexOf('link:') === 0 ? tail[2].slice(5).split('/') : null;
    return {
      name: parts.join('|'), size: Number(tail[0]), lastModified: Number(tail[1]),
      opts: {
        parentId: target ? (target[1] || '') : tail[2], link: target ? target[0] : '',
        versionOf: tail[3], attachmentOf: tail[4]
      }
    };
  }

  // refreshNotice lists stored uploads this page is not handling and no other
  // tab is sending right now.
  function refreshNotice() {
    const s = readStore();
    const now = Date.now();
    const mine = new Set(items.map(function (it) { return it.fingerprint; }));
    notice = Object.keys(s)
      .filter(function (fp) {
        const e = s[fp];
        return e && e.uploadUrl && !mine.has(fp) && !(now - (e.touchedAt || 0) < LIVE_ELSEWHERE) &&
          (e.link || '') === (api.link || ''); // the app and each link page offer only their own
      })
      .map(function (fp) { return { fp: fp, entry: s[fp] }; });
    if (!notice.length) noticeNote = '';
  }

  function dismissNotice() {
    const n = notice.length;
    if (!window.confirm('Forget ' + n + ' unfinished ' + plural(n, 'upload', 'uploads') + '? The ' +
      plural(n, 'part', 'parts') + ' already sent ' + plural(n, 'is', 'are') + ' discarded.')) return;
    const s = readStore();
    notice.forEach(function (x) {
      deleteUpload(x.entry.uploadUrl, x.entry.link);
      delete s[x.fp];
    });
    writeStore(s);
    notice = [];
    noticeNote = '';
    schedule();
  }

  // resumeFromPicker re-adds picked files that match unfinished uploads, with
  // the folder/version/attachment they were going to, wherever the user is now.
  function resumeFromPicker(files) {
    const unmatched = [];
    Array.from(files).forEach(function (f) {
      const hit = notice.find(function (n) {
        const p = parseFingerprint(n.fp);
        return p.name === f.name && p.size === f.size && p.lastModified === f.lastModified;
      });
      if (hit) enqueue([f], normalizeOpts(parseFingerprint(hit.fp).opts), '');
      else unmatched.push(f.name);
    });
    refreshNotice();
    noticeNote = unmatched.length
      ? (unmatched.length === 1 ? unmatched[0] + ' is' : unmatched.length + ' files are') + ' not among the unfinished uploads.'
      : '';
    schedule();
  }

  // ---- queue ------------------------------------------------------------------

  function normalizeOpts(opts) {
    opts = opts || {};
    return {
      parentId: opts.parentId ? String(opts.parentId) : '',
      versionOf: opts.versionOf ? String(opts.versionOf) : '',
      attachmentOf: opts.attachmentOf ? String(opts.attachmentOf) : '',
      link: opts.link ? String(opts.link) : String(api.link || ''),
      endpoint: opts.endpoint ? String(opts.endpoint) : DEFAULT_ENDPOINT
    };
  }

  // add queues files (a FileList or an array of File) and returns their row
  // numbers. Files from <input webkitdirectory> ("Shoot/Day 2/a.jpg") keep
  // their folders, made first; their rows appear as the folders exist, so
  // add returns no numbers for them.
  function add(files, opts) {
    opts = normalizeOpts(opts);
    const list = Array.from(files || []);
    const nested = list.some(function (f) { return f && (f.webkitRelativePath || '').indexOf('/') > 0; });
    // A link's visitor cannot make folders through the API: the server makes
    // them from each file's relative_path.
    if (!nested || !opts.parentId || opts.link) return enqueue(list, opts, '');
    inBackground(function () {
      const picked = list.map(function (f) {
        const p = f.webkitRelativePath || f.name;
        return { file: f, dir: p.slice(0, p.lastIndexOf('/') + 1) };
      });
      return uploadTree(picked, [], opts);
    });
    return [];
  }

  // enqueue adds files under folderPath ("Shoot/Day 1/" for dropped folders).
  function enqueue(files, opts, folderPath) {
    startBatchIfIdle();
    const ids = [];
    files.forEach(function (file) {
      if (!file || typeof file.slice !== 'function') return;
      const fp = fingerprint(file, opts);
      // The same file twice at once would fight over one upload URL.
      const twin = items.find(function (it) { return it.fingerprint === fp && (ACTIVE.includes(it.status) || it.status === 'paused'); });
      if (twin) {
        if (twin.status === 'paused') resume(twin.id);
        ids.push(twin.id);
        return;
      }
      const rel = folderPath ? folderPath + file.name : (file.webkitRelativePath || '');
      const it = {
        id: ++seq, file: file, opts: opts, batch: batch,
        name: rel || file.name, relativePath: rel, size: file.size, fingerprint: fp,
        status: 'queued', error: '', sent: 0, url: '', phase: '',
        gen: 0, settled: Promise.resolve(), xhr: null,
        attempt: 0, retryAt: 0, retryTimer: 0, offline: false,
        moved: 0, samples: []
      };
      items.push(it);
      ids.push(it.id);
    });
    refreshNotice();
    pump();
    return ids;
  }

  // failedEntry records something that never became an upload (a folder the
  // server refused), so it shows in the panel and in state().
  function failedEntry(name, message) {
    startBatchIfIdle();
    items.push({
      id: ++seq, file: null, opts: {}, batch: batch, name: name, size: 0, fingerprint: '',
      status: 'failed', error: message, sent: 0, url: '', gen: 0, samples: [], moved: 0
    });
    emit('ferry:upload-failed', { name: name, message: message });
    schedule();
  }

  // startBatchIfIdle begins a fresh count ("Uploading 1 of 3") when the last
  // batch has nothing left to do.
  function startBatchIfIdle() {
    const busy = walking > 0 || items.some(function (it) {
      return it.batch === batch && (ACTIVE.includes(it.status) || it.status === 'paused');
    });
    if (!busy) {
      batch++;
      view.closed = false;
      clearTimeout(view.hideTimer);
    }
  }

  function byId(id) {
    id = Number(id);
    return items.find(function (it) { return it.id === id; });
  }

  function countUploading() {
    return items.filter(function (it) { return it.status === 'uploading'; }).length;
  }

  // pump starts queued uploads up to the concurrency limit, oldest first, so
  // hundreds of files never mean hundreds of requests.
  function pump() {
    const limit = Math.max(1, Number(api.concurrency) || 1);
    let free = limit - countUploading();
    for (let i = 0; i < items.length && free > 0; i++) {
      if (items[i].status === 'queued') {
        start(items[i]);
        free--;
      }
    }
    schedule();
  }

  function start(it) {
    it.status = 'uploading';
    it.error = '';
    it.samples = [];
    drive(it);
  }

  // drive runs one attempt. Attempts of one upload never overlap: each waits
  // for the previous to settle, and a bumped generation (pause, cancel) tells
  // an old attempt to stop quietly.
  async function drive(it) {
    const gen = ++it.gen;
    const previous = it.settled;
    let settle;
    it.settled = new Promise(function (resolve) { settle = resolve; });
    try {
      await previous;
      if (it.gen !== gen) return;
      await transfer(it, gen);
    } catch (err) {
      if (it.gen === gen && it.status === 'uploading') onError(it, err);
    } finally {
      settle();
    }
  }

  async function transfer(it, gen) {
    const stale = function () { return it.gen !== gen || it.status !== 'uploading'; };
    it.phase = 'check';
    if (it.url) await syncOffset(it); // after a pause or failure: where did the server stop?
    else await claimStored(it);
    if (stale()) return;
    if (!it.url) {
      it.phase = 'create';
      await create(it);
      if (stale()) return;
    }
    it.phase = 'send';
    while (it.sent < it.size) {
      await sendChunk(it);
      if (stale()) return;
    }
    complete(it);
  }

  // claimStored picks up an upload an earlier visit started for the same file.
  async function claimStored(it) {
    const entry = readStore()[it.fingerprint];
    if (!entry || !entry.uploadUrl) return;
    const res = await request(it, 'HEAD', entry.uploadUrl, {});
    if (it.status === 'cancelled') {
      // Cancelled while we asked: the stored upload goes too.
      deleteUpload(entry.uploadUrl, entry.link);
      return;
    }
    if (res.ok) {
      const length = headerInt(res, 'Upload-Length');
      if (length === null || length === it.size) {
        it.url = entry.uploadUrl;
        it.sent = Math.min(headerInt(res, 'Upload-Offset') || 0, it.size);
        remember(it);
        return;
      }
    } else if (!retryable(res.status)) {
      // 404/410: expired or finished elsewhere; 403: someone else's. Start fresh.
      forget(it.fingerprint);
      return;
    } else {
      throw httpError(res);
    }
    forget(it.fingerprint);
  }

  // syncOffset asks the server how much it really holds after an interruption.
  async function syncOffset(it) {
    const res = await request(it, 'HEAD', it.url, {});
    if (res.ok) {
      it.sent = Math.min(headerInt(res, 'Upload-Offset') || 0, it.size);
      if (it.size > 0 && it.status !== 'cancelled') remember(it); // a retried failure is resumable again
      return;
    }
    if (res.status === 404 || res.status === 410) {
      // The upload expired on the server: begin a new one rather than fail.
      forget(it.fingerprint);
      it.url = '';
      it.sent = 0;
      return;
    }
    throw httpError(res);
  }

  async function create(it) {
    const endpoint = new URL(it.opts.endpoint, location.href).href;
    const res = await request(it, 'POST', endpoint, {
      'Upload-Length': String(it.size),
      'Upload-Metadata': metadata(it)
    });
    if (res.status !== 201) throw httpError(res);
    const loc = res.header('Location');
    if (!loc) throw permanentError('the server did not say where the upload lives');
    const url = new URL(loc, endpoint).href;
    if (it.status === 'cancelled') {
      // Cancelled while the server was creating it: do not leave it behind.
      deleteUpload(url, it.opts.link);
      return;
    }
    it.url = url;
    it.sent = Math.min(headerInt(res, 'Upload-Offset') || 0, it.size);
    if (it.size > 0) remember(it);
  }

  async function sendChunk(it) {
    const from = it.sent;
    const to = Math.min(it.size, from + Math.max(1, Number(api.chunkSize) || 1));
    let reported = 0;
    const res = await request(it, 'PATCH', it.url, {
      'Content-Type': 'application/offset+octet-stream',
      'Upload-Offset': String(from)
    }, it.file.slice(from, to), function onProgress(loaded) {
      const delta = loaded - reported;
      reported = loaded;
      if (delta > 0) {
        it.moved += delta;
        moved += delta;
      }
      if (it.status === 'uploading') it.sent = from + Math.min(loaded, to - from);
    });
    if (!res.ok) {
      it.sent = from; // unknown until the HEAD before the retry
      throw httpError(res);
    }
    const offset = headerInt(res, 'Upload-Offset');
    it.sent = Math.min(offset === null ? to : offset, it.size);
    it.attempt = 0; // progress made: the next trouble starts the backoff afresh
    it.error = '';
  }

  function complete(it) {
    it.status = 'done';
    it.error = '';
    it.sent = it.size;
    it.phase = '';
    forget(it.fingerprint);
    const path = new URL(it.url).pathname.replace(/\/+$/, '');
    emit('ferry:upload-complete', {
      assetId: decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)),
      parentId: it.opts.parentId || '',
      name: it.file.name
    });
    pump();
  }

  function fail(it, message) {
    it.status = 'failed';
    it.error = message;
    it.phase = '';
    forget(it.fingerprint); // a permanent refusal: the stored URL is of no further use
    emit('ferry:upload-failed', { name: it.file ? it.file.name : it.name, message: message });
    pump();
  }

  function onError(it, err) {
    if (err && err.permanent) {
      fail(it, err.message);
      return;
    }
    scheduleRetry(it, (err && err.message) || 'Connection lost', err && err.retryAfter);
  }

  // scheduleRetry keeps the slot (status stays 'uploading') and tries again
  // after 0.5, 1, 2, 4, 8 s, then every 10 s while the browser is online.
  function scheduleRetry(it, message, retryAfter) {
    let delay = it.attempt < BACKOFF.length ? BACKOFF[it.attempt] : STEADY_RETRY;
    if (retryAfter) delay = Math.max(delay, retryAfter);
    it.attempt++;
    it.error = message;
    it.phase = 'retry';
    clearTimeout(it.retryTimer);
    if (it.attempt > BACKOFF.length && !navigator.onLine) {
      it.offline = true; // the window 'online' event wakes it
      it.retryAt = 0;
    } else {
      it.retryAt = Date.now() + delay;
      it.retryTimer = setTimeout(function () { retryNow(it); }, delay);
    }
    schedule();
  }

  function retryNow(it) {
    clearTimeout(it.retryTimer);
    it.retryTimer = 0;
    it.retryAt = 0;
    if (it.status !== 'uploading') return;
    if (it.attempt > BACKOFF.length && !navigator.onLine) {
      it.offline = true;
      schedule();
      return;
    }
    it.offline = false;
    it.samples = [];
    drive(it);
    schedule();
  }

  function waitingToRetry(it) {
    return it.status === 'uploading' && (it.retryAt > 0 || it.offline);
  }

  window.addEventListener('online', function () {
    items.forEach(function (it) {
      if (waitingToRetry(it)) retryNow(it); // back online: no reason to wait out the backoff
    });
  });

  // stopActivity ends whatever an upload is doing. Only a PATCH is aborted:
  // a POST or HEAD is short, and aborting a POST could orphan a new upload.
  function stopActivity(it) {
    it.gen++;
    clearTimeout(it.retryTimer);
    it.retryTimer = 0;
    it.retryAt = 0;
    it.offline = false;
    it.phase = '';
    if (it.xhr) {
      const xhr = it.xhr;
      it.xhr = null;
      xhr.abort();
    }
  }

  function pause(id) {
    const it = byId(id);
    if (!it || !ACTIVE.includes(it.status)) return;
    stopActivity(it);
    it.status = 'paused';
    peekOffset(it);
    pump();
  }

  // peekOffset shows what the server really holds for a paused upload: the
  // progress events count bytes handed to the network, not bytes received.
  function peekOffset(it) {
    const url = it.url;
    if (!url) return;
    fetch(url, { method: 'HEAD', headers: linkHeaders(it.opts.link), credentials: 'same-origin' })
      .then(function (res) {
        const offset = Number(res.headers.get('Upload-Offset'));
        if (res.ok && it.status === 'paused' && it.url === url && offset >= 0) {
          it.sent = Math.min(offset, it.size);
          schedule();
        }
      })
      .catch(function () { /* the HEAD before resuming will tell */ });
  }

  // resume continues a paused upload, or tries a failed one again.
  function resume(id) {
    const it = byId(id);
    if (!it || !it.file || (it.status !== 'paused' && it.status !== 'failed')) return;
    it.status = 'queued';
    it.error = '';
    it.attempt = 0;
    pump();
  }

  function cancel(id) {
    const it = byId(id);
    if (!it || it.status === 'done' || it.status === 'cancelled') return;
    // A failed upload has nothing left to lose, so removing it needs no question.
    if (it.status !== 'failed' && !window.confirm('Cancel upload of ' + it.name + '? The part already sent is discarded.')) return;
    stopActivity(it);
    it.status = 'cancelled';
    it.error = '';
    if (it.fingerprint) forget(it.fingerprint);
    if (it.url) deleteUpload(it.url, it.opts.link);
    pump();
  }

  function pauseAll() {
    items.forEach(function (it) {
      if (ACTIVE.includes(it.status)) {
        stopActivity(it);
        it.status = 'paused';
        peekOffset(it);
      }
    });
    pump();
  }

  function resumeAll() {
    items.forEach(function (it) {
      if (it.status === 'paused') {
        it.status = 'queued';
        it.attempt = 0;
      }
    });
    pump();
  }

  function state() {
    return items.map(function (it) {
      return {
        id: it.id, name: it.name, size: it.size, sent: it.sent, status: it.status, error: it.error,
        link: it.opts.link || '', parentId: it.opts.parentId || '', speed: Math.round(rate(it.samples)),
        retrying: waitingToRetry(it)
      };
    });
  }

  // unfinished lists the uploads an earlier visit of this page (this
  // link, or the app) left unfinished: picking the same files resumes them.
  function unfinished() {
    refreshNotice();
    return notice.map(function (n) { return { name: n.entry.name || '', size: Number(n.entry.size) || 0 }; });
  }

  window.addEventListener('beforeunload', function (e) {
    if (walking > 0 || items.some(function (it) { return ACTIVE.includes(it.status); })) {
      e.preventDefault();
      e.returnValue = ''; // older browsers need it to show the prompt
    }
  });

  // Another tab finishing or starting uploads changes what counts as unfinished.
  window.addEventListener('storage', function (e) {
    if (e.key === STORE_KEY || e.key === null) {
      refreshNotice();
      schedule();
    }
  });

  // ---- HTTP -------------------------------------------------------------------

  // request sends one tus request. It resolves with every HTTP answer and
  // rejects only when no answer came (network error, stall, abort).
  function request(it, method, url, headers, body, onProgress) {
    return new Promise(function (resolve, reject) {
      const xhr = new XMLHttpRequest();
      let stallTimer = 0;
      let stalled = false;
      const watch = function () {
        clearTimeout(stallTimer);
        stallTimer = setTimeout(function () { stalled = true; xhr.abort(); }, api.stallTimeout);
      };
      const done = function () {
        clearTimeout(stallTimer);
        if (it.xhr === xhr) it.xhr = null;
      };
      xhr.open(method, url, true);
      const all = Object.assign(linkHeaders(it.opts.link), headers);
      Object.keys(all).forEach(function (k) { xhr.setRequestHeader(k, all[k]); });
      if (onProgress) {
        // Only a PATCH can be aborted by pause/cancel. Its body keeps the
        // progress events coming, so a long silence means a dead connection.
        it.xhr = xhr;
        xhr.upload.onprogress = function (e) {
          watch();
          onProgress(e.loaded);
        };
        watch();
      } else {
        xhr.timeout = api.stallTimeout; // a HEAD or POST answers quickly or not at all
      }
      xhr.onload = function () {
        done();
        resolve({
          status: xhr.status,
          ok: xhr.status >= 200 && xhr.status < 300,
          text: xhr.responseText || '',
          header: function (name) { return xhr.getResponseHeader(name); }
        });
      };
      xhr.onerror = function () {
        done();
        reject(transientError(navigator.onLine ? 'Connection lost' : 'You are offline'));
      };
      xhr.ontimeout = function () {
        done();
        reject(transientError('The server did not answer'));
      };
      xhr.onabort = function () {
        done();
        reject(stalled ? transientError('The connection stalled') : { aborted: true, message: 'Stopped' });
      };
      xhr.send(body === undefined ? null : body);
    });
  }

  // linkHeaders are the headers of every tus request: a link's uploads name
  // the link, and the session an invitation bound to this browser (the
  // share page keeps it in localStorage as ferry-share-session-KEY).
  function linkHeaders(link) {
    const h = { 'Tus-Resumable': '1.0.0' };
    if (!link) return h;
    h['Ferry-Link'] = link;
    let session = '';
    try {
      session = localStorage.getItem('ferry-share-session-' + link) || '';
    } catch (e) { /* storage disabled: the link cookie still works */ }
    if (session) h['Ferry-Session'] = session;
    return h;
  }

  function headerInt(res, name) {
    const v = res.header(name);
    if (v === null || v === '' || !/^\d+$/.test(v.trim())) return null;
    return Number(v);
  }

  // retryable: network trouble, server errors, offset conflicts, locks and
  // rate limits. Every other 4xx is a refusal that retrying cannot change.
  function retryable(status) {
    return status === 0 || status >= 500 || status === 409 || status === 423 || status === 429;
  }

  function httpError(res) {
    const err = retryable(res.status) ? transientError(errorText(res)) : permanentError(errorText(res));
    const after = Number(res.header('Retry-After'));
    if (after > 0) err.retryAfter = Math.min(after, 300) * 1000;
    return err;
  }

  function transientError(message) { return { permanent: false, message: message }; }
  function permanentError(message) { return { permanent: true, message: message }; }

  // errorText digs the human part out of tusd's "ERR_CODE: message" text or
  // Ferry's JSON error document.
  function errorText(res) {
    const text = (res.text || '').trim();
    if (text.charAt(0) === '{') {
      try {
        const first = (JSON.parse(text).errors || [])[0];
        if (first && (first.detail || first.title)) return first.detail || first.title;
      } catch (e) { /* not JSON after all */ }
    }
    const m = /^[A-Z][A-Z0-9_]*:\s*([\s\S]+)$/.exec(text);
    if (m) return m[1].trim();
    if (text && text.length <= 200 && text.charAt(0) !== '<') return text;
    return 'the server answered ' + res.status;
  }

  // metadata builds Upload-Metadata: "key base64(value)" pairs, base64 of UTF-8.
  function metadata(it) {
    const m = {
      filename: it.file.name,
      filetype: it.file.type || 'application/octet-stream'
    };
    if (it.opts.parentId) m.parent_id = it.opts.parentId;
    if (it.opts.versionOf) m.version_of = it.opts.versionOf;
    if (it.opts.attachmentOf) m.attachment_of = it.opts.attachmentOf;
    if (it.relativePath) m.relative_path = it.relativePath;
    return Object.keys(m).map(function (k) { return k + ' ' + base64(m[k]); }).join(',');
  }

  function base64(s) {
    const bytes = new TextEncoder().encode(s);
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(bin);
  }

  // deleteUpload terminates an upload, best effort: the server's expiry
  // sweeps whatever this misses.
  function deleteUpload(url, link) {
    try {
      fetch(url, { method: 'DELETE', headers: linkHeaders(link), credentials: 'same-origin', keepalive: true })
        .catch(function () {});
    } catch (e) { /* fetch refused the URL: nothing to clean */ }
  }

  function emit(name, detail) {
    window.dispatchEvent(new CustomEvent(name, { detail: detail }));
  }

  // ---- folders (dropped, or picked with <input webkitdirectory>) ----------------

  // addDataTransfer takes a drop. Entries must be read during the drop event,
  // before the browser empties the DataTransfer, hence the synchronous loop.
  function addDataTransfer(dataTransfer, opts) {
    opts = normalizeOpts(opts);
    const list = dataTransfer && dataTransfer.items;
    const entries = [];
    if (list && list.length && typeof list[0].webkitGetAsEntry === 'function') {
      for (let i = 0; i < list.length; i++) {
        if (list[i].kind !== 'file') continue;
        const entry = list[i].webkitGetAsEntry();
        if (entry) entries.push(entry);
      }
    }
    if (!entries.length) {
      add(dataTransfer ? dataTransfer.files : [], opts);
      return;
    }
    inBackground(async function () {
      const files = [];
      const dirs = [];
      await collect(entries, '', files, dirs);
      await uploadTree(files, dirs, opts);
    });
  }

  // inBackground runs folder work while keeping the panel and the
  // beforeunload guard aware of it.
  function inBackground(work) {
    startBatchIfIdle();
    walking++;
    schedule();
    work().catch(function (err) {
      failedEntry('Folder upload', err && err.message ? err.message : String(err));
    }).finally(function () {
      walking--;
      schedule();
    });
  }

  // collect lists a dropped tree: files with their folder path ("Shoot/Day 2/")
  // and every folder, empty ones included.
  async function collect(entries, prefix, files, dirs) {
    for (const entry of entries) {
      if (entry.isFile) {
        const file = await fileOf(entry);
        if (file) files.push({ file: file, dir: prefix });
      } else if (entry.isDirectory) {
        const path = prefix + entry.name + '/';
        dirs.push(path);
        await collect(await readAllEntries(entry), path, files, dirs);
      }
    }
  }

  // uploadTree makes the folders under opts.parentId, top down, and queues
  // each file into its folder. Without a parent (a version or attachment
  // target), or through a link (the server makes a link's folders), the
  // files go as they are, their paths kept in relative_path.
  async function uploadTree(files, dirs, opts) {
    const byDir = new Map();
    files.forEach(function (f) {
      if (!byDir.has(f.dir)) byDir.set(f.dir, []);
      byDir.get(f.dir).push(f.file);
    });
    const paths = Array.from(new Set(dirs.concat(Array.from(byDir.keys())))).sort();
    const folderIds = new Map([['', opts.parentId]]);
    const makeFolders = opts.parentId && !opts.link;
    for (const path of paths) {
      const id = makeFolders ? await ensureFolder(path, folderIds) : opts.parentId;
      if (byDir.has(path) && (id || !makeFolders)) {
        enqueue(byDir.get(path), Object.assign({}, opts, { parentId: id }), path);
      }
    }
  }

  // ensureFolder returns the id of the folder at path ("Shoot/Day 2/"),
  // making it and its parents as needed; '' if the server refused one.
  async function ensureFolder(path, folderIds) {
    if (folderIds.has(path)) return folderIds.get(path);
    const parentPath = path.slice(0, path.lastIndexOf('/', path.length - 2) + 1);
    const name = path.slice(parentPath.length, -1);
    const parentId = await ensureFolder(parentPath, folderIds);
    let id = '';
    if (parentId) {
      try {
        id = (await createFolder(parentId, name)).id;
        emit('ferry:folder-created', { assetId: id, parentId: parentId, name: name });
      } catch (err) {
        failedEntry(path.slice(0, -1), 'Could not create the folder: ' + err.message);
      }
    }
    folderIds.set(path, id);
    return id;
  }

  // readAllEntries calls readEntries until it returns nothing: each call
  // gives at most about 100 entries.
  async function readAllEntries(dir) {
    const reader = dir.createReader();
    const all = [];
    for (;;) {
      const some = await new Promise(function (resolve) {
        reader.readEntries(resolve, function () { resolve([]); });
      });
      if (!some.length) return all;
      all.push.apply(all, some);
    }
  }

  function fileOf(entry) {
    return new Promise(function (resolve) {
      entry.file(resolve, function (err) {
        failedEntry((entry.fullPath || entry.name).replace(/^\//, ''),
          'Could not read the file' + (err && err.message ? ': ' + err.message : ''));
        resolve(null);
      });
    });
  }

  async function createFolder(parentId, name) {
    const res = await fetch('/api/v2/assets/' + encodeURIComponent(parentId) + '/children', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify({ type: 'folder', name: name })
    });
    const text = await res.text();
    if (!res.ok) throw new Error(errorText({ status: res.status, text: text }));
    const folder = JSON.parse(text);
    if (!folder || !folder.id) throw new Error('the server answered without a folder id');
    return folder;
  }

  // ---- numbers for people -------------------------------------------------------

  // formatBytes writes sizes exactly as the app does (humanBytes in
  // app/client.go: binary units, one decimal), so a file reads the same in
  // the panel and in the grid: "205.1 KiB", "28.6 MiB".
  function formatBytes(n) {
    if (n < 1024) return Math.round(n) + ' B';
    const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
    let i = 0;
    n /= 1024;
    while (n >= 1024 && i < units.length - 1) {
      n /= 1024;
      i++;
    }
    return n.toFixed(1) + ' ' + units[i];
  }

  function formatLeft(seconds) {
    if (!isFinite(seconds) || seconds <= 0) return '';
    if (seconds < 10) return 'a few seconds left';
    if (seconds < 60) return 'about ' + Math.ceil(seconds / 5) * 5 + ' s left';
    const min = Math.round(seconds / 60);
    if (min < 60) return 'about ' + min + ' min left';
    const h = Math.floor(min / 60);
    return 'about ' + h + ' h' + (min % 60 ? ' ' + (min % 60) + ' min' : '') + ' left';
  }

  function percent(sent, size) {
    return size > 0 ? Math.min(100, Math.floor(100 * sent / size)) : 0;
  }

  function plural(n, one, many) {
    return n === 1 ? one : many;
  }

  // pushSample keeps the (time, bytes moved) samples of the last SPEED_WINDOW.
  function pushSample(samples, now, value) {
    while (samples.length && now - samples[0][0] > SPEED_WINDOW) samples.shift();
    samples.push([now, value]);
  }

  // rate is bytes per second across the samples, 0 until they span a second.
  function rate(samples) {
    if (samples.length < 2) return 0;
    const a = samples[0];
    const b = samples[samples.length - 1];
    const span = b[0] - a[0];
    return span >= SPEED_MIN_SPAN ? (b[1] - a[1]) * 1000 / span : 0;
  }

  // ---- the panel ------------------------------------------------------------------

  const view = {
    root: null, badge: null, title: null, announce: null, bar: null, fill: null, left: null, right: null,
    toggleAll: null, collapse: null, close: null, notice: null, list: null, picker: null,
    rows: new Map(), collapsed: false, closed: false, noticeClosed: false,
    hideTimer: 0, renderTimer: 0, lastRender: 0, hovered: false, complete: false
  };

  const ICONS = {
    pause: ['M9 5v14', 'M15 5v14'],
    play: ['M7 4.5v15l12-7.5z'],
    x: ['M18 6 6 18', 'M6 6l12 12'],
    chevronDown: ['m6 9 6 6 6-6'],
    chevronUp: ['m18 15-6-6-6 6'],
    retry: ['M3 12a9 9 0 1 0 2.6-6.4L3 8', 'M3 3v5h5'],
    file: ['M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z', 'M14 3v5h5'],
    done: ['M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z', 'm8.5 12.5 2.5 2.5 4.5-5'],
    failed: ['M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z', 'M12 7.5v5', 'M12 16.2v.1'],
    cancelled: ['M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z', 'm9 9 6 6', 'm15 9-6 6'],
    upload: ['M12 16V4', 'm7 9 5-5 5 5', 'M5 20h14'],
    check: ['m5 12.5 4.5 4.5L19 7'],
    alert: ['M12 5.5v8', 'M12 18v.01']
  };

  function icon(name) {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('class', 'fu-ic');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    ICONS[name].forEach(function (d) {
      const p = document.createElementNS(ns, 'path');
      p.setAttribute('d', d);
      svg.appendChild(p);
    });
    return svg;
  }

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function iconButton(name, action, label) {
    const b = el('button', 'fu-icon-btn');
    b.type = 'button';
    b.dataset.action = action;
    setButton(b, name, label);
    return b;
  }

  // setButton changes a button's icon and label only when they differ, so a
  // focused button keeps its focus across renders.
  function setButton(b, name, label) {
    if (b.dataset.icon !== name) {
      b.dataset.icon = name;
      b.textContent = '';
      b.appendChild(icon(name));
    }
    if (b.getAttribute('aria-label') !== label) {
      b.setAttribute('aria-label', label);
      b.title = label;
    }
  }

  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  function setAttr(node, name, value) {
    if (node.getAttribute(name) !== value) node.setAttribute(name, value);
  }

  // buildPanel makes the panel once; renders only patch it. One click
  // handler serves every button through data-action.
  function buildPanel() {
    const root = el('section', 'fu-panel');
    root.id = 'ferry-uploads';
    root.setAttribute('aria-label', 'Uploads');
    root.hidden = true;

    const head = el('div', 'fu-head');
    const badge = el('span', 'fu-head-ic');
    const title = el('h2', 'fu-title');
    // Screen readers hear the turns (complete, failed, paused), not every file.
    const announce = el('div', 'fu-sr');
    announce.setAttribute('role', 'status');
    const actions = el('div', 'fu-actions');
    const toggleAll = el('button', 'fu-btn');
    toggleAll.type = 'button';
    const collapse = iconButton('chevronDown', 'collapse', 'Collapse');
    collapse.setAttribute('aria-controls', 'ferry-uploads-body');
    const close = iconButton('x', 'close', 'Close');
    actions.append(toggleAll, collapse, close);
    head.append(badge, title, actions);

    const summary = el('div', 'fu-summary');
    const bar = el('div', 'fu-bar');
    bar.setAttribute('role', 'progressbar');
    bar.setAttribute('aria-label', 'Total upload progress');
    bar.setAttribute('aria-valuemin', '0');
    bar.setAttribute('aria-valuemax', '100');
    const fill = el('div', 'fu-fill');
    bar.appendChild(fill);
    const stats = el('div', 'fu-stats');
    const left = el('span', 'fu-stats-left');
    const right = el('span', 'fu-stats-right');
    stats.append(left, right);
    summary.append(bar, stats);

    const body = el('div', 'fu-body');
    body.id = 'ferry-uploads-body';
    const noticeBox = el('div', 'fu-notice');
    noticeBox.setAttribute('role', 'status');
    const list = el('ul', 'fu-list');
    list.setAttribute('aria-label', 'Files');
    body.append(noticeBox, list);

    const picker = el('input');
    picker.type = 'file';
    picker.multiple = true;
    picker.hidden = true;
    picker.tabIndex = -1;
    picker.addEventListener('change', function () {
      if (picker.files && picker.files.length) resumeFromPicker(picker.files);
      picker.value = '';
    });

    root.append(head, summary, body, picker, announce);
    root.addEventListener('click', onPanelClick);
    // A finished batch waits while the pointer or focus is on the panel.
    root.addEventListener('pointerenter', function () { view.hovered = true; });
    root.addEventListener('pointerleave', function () { view.hovered = false; scheduleHide(); });
    root.addEventListener('focusout', function () { scheduleHide(); });
    document.body.appendChild(root);

    Object.assign(view, {
      root: root, badge: badge, title: title, announce: announce, bar: bar, fill: fill, left: left, right: right, toggleAll: toggleAll,
      collapse: collapse, close: close, notice: noticeBox, list: list, picker: picker
    });
  }

  function onPanelClick(e) {
    const b = e.target.closest('button[data-action]');
    if (!b || !view.root.contains(b)) return;
    const id = b.closest('[data-id]') ? b.closest('[data-id]').dataset.id : '';
    switch (b.dataset.action) {
      case 'pause-all': pauseAll(); break;
      case 'resume-all': resumeAll(); break;
      case 'collapse':
        view.collapsed = !view.collapsed;
        break;
      case 'close': closePanel(); break;
      case 'pause': pause(id); break;
      case 'resume': resume(id); break;
      case 'cancel': cancel(id); break;
      case 'dismiss': dismissNotice(); break;
      case 'pick': view.picker.click(); break;
    }
    schedule();
  }

  // closePanel hides the panel only when nothing would be lost from sight;
  // with uploads running or paused it collapses instead.
  function closePanel() {
    const pending = items.some(function (it) { return it.batch === batch && (ACTIVE.includes(it.status) || it.status === 'paused'); });
    if (pending || walking > 0) {
      view.collapsed = true;
      return;
    }
    view.closed = true;
    view.noticeClosed = true;
  }

  function scheduleHide() {
    clearTimeout(view.hideTimer);
    if (!view.complete) return;
    view.hideTimer = setTimeout(function () {
      const focused = view.root && view.root.contains(document.activeElement);
      if (!view.complete || view.hovered || focused) return;
      view.closed = true;
      schedule();
    }, HIDE_AFTER_DONE);
  }

  // schedule asks for a render, at most one per RENDER_EVERY ms. While
  // uploads run the render keeps re-arming itself so speeds and countdowns move.
  function schedule() {
    if (view.renderTimer) return;
    const wait = Math.max(0, RENDER_EVERY - (Date.now() - view.lastRender));
    view.renderTimer = setTimeout(tick, wait);
  }

  function tick() {
    view.renderTimer = 0;
    if (!document.body) {
      schedule();
      return;
    }
    const now = Date.now();
    view.lastRender = now;
    sample(now);
    render(now);
    emit('ferry:uploads-changed', {});
    if (items.some(function (it) { return it.status === 'uploading'; }) || walking > 0) schedule();
  }

  function sample(now) {
    pushSample(moveSamples, now, moved);
    items.forEach(function (it) {
      if (it.status === 'uploading' && it.phase === 'send') pushSample(it.samples, now, it.moved);
    });
  }

  function render(now) {
    const shown = items.filter(function (it) { return it.batch === batch; });
    const counted = shown.filter(function (it) { return it.status !== 'cancelled'; });
    const count = function (s) { return counted.filter(function (it) { return it.status === s; }).length; };
    const uploading = count('uploading');
    const queued = count('queued');
    const paused = count('paused');
    const done = count('done');
    const failed = count('failed');
    const active = uploading + queued;
    const hasNotice = notice.length > 0 && !view.noticeClosed;

    const complete = !active && !paused && !walking && counted.length > 0 && !failed;
    if (complete !== view.complete) {
      view.complete = complete;
      scheduleHide();
    }

    const visible = api.panel !== false && ((!view.closed && (shown.length > 0 || walking > 0)) || hasNotice);
    if (!view.root) {
      if (!visible) return;
      buildPanel();
    }
    const root = view.root;
    if (root.hidden === visible) root.hidden = !visible;
    setAttr(root, 'data-active', String(active));
    if (!visible) return;
    const listShown = !view.closed && shown.length > 0;

    // Header and totals.
    let title;
    if (walking && !counted.length) title = 'Preparing upload…';
    else if (active || walking) title = 'Uploading ' + Math.min(done + failed + 1, counted.length) + ' of ' + counted.length;
    else if (paused) title = 'Uploads paused';
    else if (!listShown) title = 'Unfinished uploads';
    else if (failed) title = failed + ' ' + plural(failed, 'upload', 'uploads') + ' failed';
    else title = 'Uploads complete';
    setText(view.title, title);
    const mood = active || walking ? 'uploading' : paused ? 'paused' : !listShown ? 'notice' : failed ? 'failed' : 'done';
    if (root.dataset.state !== mood) {
      root.dataset.state = mood;
      view.badge.textContent = '';
      view.badge.appendChild(icon({ uploading: 'upload', paused: 'pause', notice: 'upload', failed: 'alert', done: 'check' }[mood]));
      setText(view.announce, mood === 'uploading' ? 'Uploading ' + counted.length + ' ' + plural(counted.length, 'file', 'files') : title);
    }

    let total = 0;
    let sent = 0;
    let remaining = 0; // of running and waiting uploads only: paused ones do not count toward time left
    counted.forEach(function (it) {
      if (it.status === 'failed') return;
      total += it.size;
      sent += Math.min(it.sent, it.size);
      if (ACTIVE.includes(it.status)) remaining += Math.max(0, it.size - it.sent);
    });
    const pct = total > 0 ? 100 * sent / total : (done ? 100 : 0);
    view.fill.style.width = pct.toFixed(2) + '%';
    setAttr(view.bar, 'aria-valuenow', String(Math.floor(pct)));
    view.bar.parentNode.hidden = !listShown;

    let left = '';
    let right = '';
    if (listShown) {
      if (active || paused || walking) {
        left = formatBytes(sent) + ' of ' + formatBytes(total);
        const speed = rate(moveSamples);
        const everyoneWaiting = uploading > 0 && counted.every(function (it) { return it.status !== 'uploading' || waitingToRetry(it); });
        if (uploading && !navigator.onLine) {
          right = 'Offline, waiting for the network';
        } else if (everyoneWaiting) {
          right = 'Reconnecting…';
        } else if (active && speed > 0) {
          right = formatBytes(speed) + '/s';
          const timeLeft = formatLeft(remaining / speed);
          if (timeLeft) right += ' · ' + timeLeft;
        }
      } else {
        left = failed
          ? done + ' of ' + counted.length + ' uploaded'
          : done + ' ' + plural(done, 'file', 'files') + ' · ' + formatBytes(total);
      }
    }
    setText(view.left, left);
    setText(view.right, right);

    // Header buttons.
    const tb = view.toggleAll;
    if (active) {
      setText(tb, 'Pause all');
      tb.dataset.action = 'pause-all';
    } else if (paused) {
      setText(tb, 'Resume all');
      tb.dataset.action = 'resume-all';
    }
    tb.hidden = !(active || paused);
    setButton(view.collapse, view.collapsed ? 'chevronUp' : 'chevronDown', view.collapsed ? 'Expand' : 'Collapse');
    setAttr(view.collapse, 'aria-expanded', String(!view.collapsed));
    setButton(view.close, 'x', active || paused || walking ? 'Minimize' : 'Close');
    root.classList.toggle('fu-collapsed', view.collapsed);

    renderNotice(hasNotice);
    renderRows(listShown ? shown : [], now);
  }

  function renderNotice(show) {
    const box = view.notice;
    box.hidden = !show;
    if (!show) return;
    const key = notice.map(function (n) { return n.fp; }).join('\n') + '\n' + noticeNote;
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    box.textContent = '';
    const n = notice.length;
    box.appendChild(el('p', 'fu-notice-text',
      n + ' unfinished ' + plural(n, 'upload', 'uploads') + ' — add the same ' + plural(n, 'file', 'files') +
      ' again to resume from where ' + plural(n, 'it', 'they') + ' stopped'));
    const ul = el('ul', 'fu-notice-list');
    const max = 4;
    notice.slice(0, n > max + 1 ? max : n).forEach(function (x) {
      const li = el('li');
      li.append(el('span', 'fu-notice-name', x.entry.name || '(unnamed)'), el('span', 'fu-notice-size', formatBytes(Number(x.entry.size) || 0)));
      li.title = x.entry.name || '';
      ul.appendChild(li);
    });
    if (n > max + 1) ul.appendChild(el('li', 'fu-notice-more', 'and ' + (n - max) + ' more'));
    box.appendChild(ul);
    if (noticeNote) box.appendChild(el('p', 'fu-notice-note', noticeNote));
    const actions = el('div', 'fu-notice-actions');
    const pick = el('button', 'fu-btn fu-btn-primary', 'Choose files…');
    pick.type = 'button';
    pick.dataset.action = 'pick';
    const dismiss = el('button', 'fu-btn', 'Dismiss');
    dismiss.type = 'button';
    dismiss.dataset.action = 'dismiss';
    dismiss.title = 'Forget these uploads and discard what was sent';
    actions.append(pick, dismiss);
    box.appendChild(actions);
  }

  // renderRows keeps one <li> per upload and patches only what changed, so a
  // few hundred rows cost little and buttons keep focus.
  function renderRows(shown, now) {
    const keep = new Set(shown.map(function (it) { return it.id; }));
    view.rows.forEach(function (row, id) {
      if (!keep.has(id)) {
        row.li.remove();
        view.rows.delete(id);
      }
    });
    shown.forEach(function (it) {
      let row = view.rows.get(it.id);
      if (!row) {
        row = buildRow(it);
        view.rows.set(it.id, row);
        view.list.appendChild(row.li); // items only ever join at the end
      }
      updateRow(row, it, now);
    });
  }

  function buildRow(it) {
    const li = el('li', 'fu-row');
    li.id = 'ferry-upload-' + it.id;
    li.dataset.id = String(it.id);
    const badge = el('span', 'fu-row-ic');
    const main = el('div', 'fu-row-main');
    const name = el('div', 'fu-name', it.name);
    name.title = it.name;
    const bar = el('div', 'fu-bar fu-bar-sm');
    bar.setAttribute('role', 'progressbar');
    bar.setAttribute('aria-label', it.name);
    bar.setAttribute('aria-valuemin', '0');
    bar.setAttribute('aria-valuemax', '100');
    const fill = el('div', 'fu-fill');
    bar.appendChild(fill);
    const meta = el('div', 'fu-meta');
    main.append(name, bar, meta);
    const actions = el('div', 'fu-row-actions');
    const toggle = iconButton('pause', 'pause', 'Pause ' + it.name);
    const cancelBtn = iconButton('x', 'cancel', 'Cancel upload of ' + it.name);
    actions.append(toggle, cancelBtn);
    li.append(badge, main, actions);
    return { li: li, badge: badge, fill: fill, bar: bar, meta: meta, toggle: toggle, cancel: cancelBtn, status: '' };
  }

  function updateRow(row, it, now) {
    const s = it.status;
    if (row.status !== s) {
      row.status = s;
      row.li.dataset.status = s;
      row.badge.textContent = '';
      row.badge.appendChild(icon(s === 'done' || s === 'failed' || s === 'cancelled' ? s : 'file'));
    }
    const pct = it.size > 0 ? 100 * Math.min(it.sent, it.size) / it.size : (s === 'done' ? 100 : 0);
    row.fill.style.width = (s === 'cancelled' ? 0 : pct).toFixed(2) + '%';
    setAttr(row.bar, 'aria-valuenow', String(Math.floor(pct)));
    row.li.classList.toggle('fu-retrying', waitingToRetry(it));
    row.bar.hidden = s === 'done' || s === 'failed' || s === 'cancelled'; // the status line says it all
    setText(row.meta, rowText(it, now));
    row.meta.title = s === 'failed' ? it.error : '';

    const t = row.toggle;
    if (s === 'paused') {
      setButton(t, 'play', 'Resume ' + it.name);
      t.dataset.action = 'resume';
    } else if (s === 'failed' && it.file) {
      setButton(t, 'retry', 'Try ' + it.name + ' again');
      t.dataset.action = 'resume';
    } else {
      setButton(t, 'pause', 'Pause ' + it.name);
      t.dataset.action = 'pause';
    }
    t.hidden = !(ACTIVE.includes(s) || s === 'paused' || (s === 'failed' && it.file));
    setButton(row.cancel, 'x', s === 'failed' ? 'Remove ' + it.name : 'Cancel upload of ' + it.name);
    row.cancel.hidden = s === 'done' || s === 'cancelled';
  }

  function rowText(it, now) {
    const pct = percent(it.sent, it.size);
    switch (it.status) {
      case 'queued': return it.sent > 0 ? 'Waiting · ' + pct + ' % sent' : 'Waiting';
      case 'paused': return it.sent > 0 ? 'Paused · ' + pct + ' %' : 'Paused';
      case 'done': return 'Done · ' + formatBytes(it.size);
      case 'failed': return 'Failed: ' + it.error;
      case 'cancelled': return 'Cancelled';
    }
    if (it.offline || !navigator.onLine) return 'Offline, waiting for the network…';
    if (it.retryAt) return 'Retrying in ' + Math.max(1, Math.ceil((it.retryAt - now) / 1000)) + ' s…';
    if (it.phase === 'check' && !it.url && !it.sent) return 'Starting…';
    if (it.phase === 'check') return 'Resuming…';
    if (it.phase === 'create') return 'Starting…';
    const speed = rate(it.samples);
    return pct + ' % · ' + formatBytes(it.sent) + ' of ' + formatBytes(it.size) + (speed > 0 ? ' · ' + formatBytes(speed) + '/s' : '');
  }

  // On load: offer the uploads an earlier visit left unfinished.
  function init() {
    refreshNotice();
    schedule();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
