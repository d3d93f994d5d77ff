/* Siaran videotron player: loops the screen's playlist full-screen and never goes black because
   the feed is down.

   - The feed sends the schedule of the next days (every slide with its window, the open spans of
     the operating hours, overrides, the default slide); the player decides locally, at each
     instant, what to show (`showable`). With nothing valid, or outside hours when the screen is
     set so, it shows the screen's default slide with a live date and clock, never black.
   - The last good playlist and its images live in IndexedDB, so playing goes on while the feed
     is unreachable and after a browser restart (the service worker, sw.js, keeps the page itself).
     Images are forgotten only when a playlist from the feed no longer lists them (expired,
     ended or withdrawn).
   - Reports (plays, heartbeats) carry the screen's player key, handed over once by the launcher
     in the address's fragment (#key=…, never sent over the network) and then kept in IndexedDB.
   - A new playlist replaces the old one only when all its images are here (preloaded, checked
     against their sha256 where the browser allows).
   - Proof of play is queued in IndexedDB and sent in batches; a batch is removed only after the
     feed acknowledged it, so nothing is lost and nothing is counted twice (event ids).
   - Text from the feed is only ever set with textContent or as a property: never parsed as HTML.
   Service workers and crypto.subtle need a secure context (HTTPS, localhost, or the kiosk flag
   --unsafely-treat-insecure-origin-as-secure); without one the player still plays from
   IndexedDB but cannot start while the feed is down. See ../README.md.
*/
"use strict";

(() => {
  const params = new URLSearchParams(location.search);
  const DEBUG = params.get("debug") === "1";
  const FORCED_MODE = params.get("mode"); // "fit" or "pixel"; otherwise decided by the offset
  const base = new URL("./", location.href);
  const PLAYLIST_URL = new URL("playlist.json", base).href;
  const PLAYS_URL = new URL("plays", base).href;
  const HEARTBEAT_URL = new URL("heartbeat", base).href;
  const EVENTS_URL = new URL("events", base).href;
  const DB_NAME = "siaran-player:" + base.pathname;
  const SHA256 = /^[0-9a-f]{64}$/;
  const MAX_QUEUE = 20000; // plays kept while offline (about two days of 10-second slides)
  const BATCH = 200;
  const TIMEOUT_MS = 8000;
  const LOG_MAX = 500;

  const $ = (id) => document.getElementById(id);
  const images = [$("slide-a"), $("slide-b")];
  let front = 0;

  const state = {
    playerId: "",
    playerKey: "",
    showing: "", // "slide", "default" or "dark"
    clockTimer: 0,
    doc: null, // the playlist document being played
    etag: "",
    urls: new Map(), // sha256 -> object URL of its image
    current: null,
    index: -1,
    timer: 0,
    shownAt: 0,
    startedAt: null,
    startedAtIso: "",
    seq: 0, // bumped by every call of next(): a slower, older call gives way
    online: null,
    offlineSince: null,
    clockOffsetMs: 0, // server clock minus ours
    pollTimer: 0,
    polling: false,
    pollAgain: false,
    flushing: false,
    log: [],
  };
  const rhythm = { poll: 30, heartbeat: 60, flush: 30 };

  // --- storage ------------------------------------------------------------------------------

  function request(req) {
    return new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  function openDb() {
    return new Promise((resolve, reject) => {
      if (!("indexedDB" in window)) {
        reject(new Error("no IndexedDB"));
        return;
      }
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        const db = req.result;
        db.createObjectStore("kv");
        db.createObjectStore("slides");
        db.createObjectStore("plays", { keyPath: "event_id" });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  function memoryStore() {
    // Without IndexedDB (a locked-down profile) the player still plays; it just forgets on restart.
    const maps = { kv: new Map(), slides: new Map(), plays: new Map() };
    return {
      get: async (name, key) => maps[name].get(key),
      put: async (name, value, key) => maps[name].set(key === undefined ? value.event_id : key, value),
      del: async (name, key) => maps[name].delete(key),
      all: async (name, count) => [...maps[name].keys()].sort().slice(0, count).map((k) => maps[name].get(k)),
      keys: async (name) => [...maps[name].keys()].sort(),
      count: async (name) => maps[name].size,
    };
  }

  function idbStore(db) {
    const os = (name, mode) => db.transaction(name, mode).objectStore(name);
    return {
      get: (name, key) => request(os(name, "readonly").get(key)),
      put: (name, value, key) =>
        request(key === undefined ? os(name, "readwrite").put(value) : os(name, "readwrite").put(value, key)),
      del: (name, key) => request(os(name, "readwrite").delete(key)),
      all: (name, count) => request(os(name, "readonly").getAll(undefined, count)),
      keys: (name) => request(os(name, "readonly").getAllKeys()),
      count: (name) => request(os(name, "readonly").count()),
    };
  }

  let store = memoryStore();

  // --- small helpers ------------------------------------------------------------------------

  function randomHex(bytes) {
    const data = new Uint8Array(bytes);
    crypto.getRandomValues(data);
    return Array.from(data, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function newEventId() {
    // Time first, so the queue's key order is the order of play.
    return Date.now().toString(36).padStart(9, "0") + "-" + randomHex(8);
  }

  function serverNow() {
    return Date.now() + state.clockOffsetMs;
  }

  async function fetchWithTimeout(url, options) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      return await fetch(url, { ...options, signal: controller.signal });
    } finally {
      clearTimeout(timer);
    }
  }

  async function sha256Hex(blob) {
    if (!(window.crypto && crypto.subtle)) return null; // not a secure context: cannot check
    const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function note(event, detail) {
    if (!DEBUG) return;
    state.log.push({ event, detail, at: Date.now() });
    if (state.log.length > LOG_MAX) state.log.splice(0, state.log.length - LOG_MAX);
  }

  function showInfo() {
    if (!DEBUG) return;
    $("info").hidden = false;
    const screen = state.doc && state.doc.screen ? state.doc.screen : {};
    $("info-screen").textContent = `${screen.name || "?"} (${screen.slug || "?"})`;
    const since = state.offlineSince ? ` sejak ${new Date(state.offlineSince).toLocaleTimeString()}` : "";
    $("info-state").textContent = state.online ? "daring" : `luring${since}`;
    $("info-headline").textContent = state.current ? state.current.headline || "" : "";
  }

  // --- the playlist ---------------------------------------------------------------------------

  function validSlide(slide) {
    return (
      slide &&
      typeof slide.sha256 === "string" &&
      SHA256.test(slide.sha256) &&
      typeof slide.url === "string" &&
      typeof slide.seconds === "number" &&
      slide.seconds > 0 &&
      slide.seconds <= 3600
    );
  }

  function validDefault(slide) {
    return !slide || (typeof slide.sha256 === "string" && SHA256.test(slide.sha256) && typeof slide.url === "string");
  }

  function validDoc(doc) {
    return (
      doc &&
      typeof doc === "object" &&
      Array.isArray(doc.slides) &&
      doc.slides.every(validSlide) &&
      validDefault(doc.default)
    );
  }

  class Gone extends Error {}

  async function imageFor(slide, fromNetwork) {
    const stored = await store.get("slides", slide.sha256);
    if (stored) return stored;
    if (!fromNetwork) return null;
    const response = await fetchWithTimeout(new URL(slide.url, location.href).href, { cache: "no-cache" });
    // Ended or withdrawn between the playlist and this request: the slide just is not played.
    if (response.status === 404 || response.status === 410) throw new Gone(`slide ${response.status}`);
    if (!response.ok) throw new Error(`slide ${response.status}`);
    const blob = await response.blob();
    if (!blob.type.startsWith("image/")) throw new Error("not an image");
    const digest = await sha256Hex(blob);
    if (digest !== null && digest !== slide.sha256) throw new Error("slide does not match its hash");
    await store.put("slides", blob, slide.sha256);
    return blob;
  }

  async function adopt(doc, etag, fromNetwork) {
    if (!validDoc(doc)) throw new Error("bad playlist");
    const blobs = new Map();
    const gone = new Set();
    const wanted = doc.default ? [...doc.slides, doc.default] : doc.slides;
    for (const slide of wanted) {
      if (blobs.has(slide.sha256) || gone.has(slide.sha256)) continue;
      let blob;
      try {
        blob = await imageFor(slide, fromNetwork);
      } catch (err) {
        if (!(err instanceof Gone)) throw err;
        gone.add(slide.sha256);
        continue;
      }
      if (!blob) throw new Error("image missing from cache");
      blobs.set(slide.sha256, blob);
    }
    if (gone.size) doc = { ...doc, slides: doc.slides.filter((s) => !gone.has(s.sha256)) };
    for (const [sha, blob] of blobs) {
      if (!state.urls.has(sha)) state.urls.set(sha, URL.createObjectURL(blob));
    }
    state.doc = doc;
    state.etag = etag || "";
    const player = doc.player || {};
    rhythm.poll = Math.max(1, Number(player.poll_seconds) || rhythm.poll);
    rhythm.heartbeat = Math.max(1, Number(player.heartbeat_seconds) || rhythm.heartbeat);
    rhythm.flush = Math.max(1, Number(player.plays_flush_seconds) || rhythm.flush);
    layout();
    note("playlist", doc.slides.map((s) => s.sha256));
    if (fromNetwork) {
      await store.put("kv", { doc, etag: state.etag }, "playlist");
      await forgetOthers(new Set(blobs.keys()));
    }
    // An override takes the screen at once; a slide taken off stops at once.
    const playing = playable();
    const current = state.current;
    const stillThere = current && playing.some((s) => s.sha256 === current.sha256 && s.id === current.id);
    const overridden = playing.length && playing[0].override && !(current && current.override);
    if (!current || !stillThere || overridden) next(true);
  }

  function within(spans, now) {
    return spans.some((span) => Array.isArray(span) && Date.parse(span[0]) <= now && now < Date.parse(span[1]));
  }

  function validAt(slide, now) {
    const from = slide.valid_from ? Date.parse(slide.valid_from) : -Infinity;
    const until = slide.valid_until ? Date.parse(slide.valid_until) : Infinity;
    return from <= now && now < until;
  }

  function isOpen(now) {
    const hours = state.doc && state.doc.hours;
    if (!hours || !Array.isArray(hours.open)) return true; // a feed without hours: always open
    return within(hours.open, now); // past the horizon nothing is open: the default slide shows
  }

  async function forgetOthers(keep) {
    // Only what the feed's latest schedule no longer lists: expired, ended or withdrawn.
    for (const sha of await store.keys("slides")) {
      if (!keep.has(sha)) await store.del("slides", sha);
    }
    for (const [sha, url] of state.urls) {
      if (!keep.has(sha) && !(state.current && state.current.sha256 === sha)) {
        URL.revokeObjectURL(url);
        state.urls.delete(sha);
      }
    }
  }

  function playable() {
    // What the schedule says for this instant: an override holding the screen above all, else
    // the valid slides inside the operating hours, else nothing (see `fallback`).
    if (!state.doc) return [];
    const now = serverNow();
    const here = state.doc.slides.filter((slide) => validAt(slide, now) && state.urls.has(slide.sha256));
    const overrides = here.filter((slide) => slide.override);
    if (overrides.length) return overrides;
    return isOpen(now) ? here.filter((slide) => !slide.override) : [];
  }

  function fallback() {
    // With nothing to play: the default slide, or dark outside hours if the screen is set so.
    const slide = state.doc && state.doc.default;
    if (!slide || !state.urls.has(slide.sha256)) return null;
    if (!isOpen(serverNow()) && slide.outside_hours === false) return null;
    return slide;
  }

  // --- showing --------------------------------------------------------------------------------

  function layout() {
    const screen = (state.doc && state.doc.screen) || {};
    const offset = (screen.offset_x || 0) !== 0 || (screen.offset_y || 0) !== 0;
    const pixel = FORCED_MODE === "pixel" || (FORCED_MODE !== "fit" && offset);
    const ratio = window.devicePixelRatio || 1;
    for (const img of images) {
      if (pixel && screen.width && screen.height) {
        img.style.left = `${(screen.offset_x || 0) / ratio}px`;
        img.style.top = `${(screen.offset_y || 0) / ratio}px`;
        img.style.width = `${screen.width / ratio}px`;
        img.style.height = `${screen.height / ratio}px`;
        img.style.objectFit = "fill";
      } else {
        img.style.left = img.style.top = "0";
        img.style.width = img.style.height = "100%";
        img.style.objectFit = "contain";
      }
    }
    document.body.dataset.mode = pixel ? "pixel" : "fit";
    placeClock(pixel, screen, ratio);
  }

  function placeClock(pixel, screen, ratio) {
    // The default slide keeps its lower band free for the date and clock drawn here.
    const width = screen.width || window.innerWidth;
    const height = screen.height || window.innerHeight;
    let box;
    if (pixel && screen.width && screen.height) {
      box = { left: (screen.offset_x || 0) / ratio, top: (screen.offset_y || 0) / ratio, width: width / ratio, height: height / ratio };
    } else {
      const scale = Math.min(window.innerWidth / width, window.innerHeight / height);
      box = { width: width * scale, height: height * scale };
      box.left = (window.innerWidth - box.width) / 2;
      box.top = (window.innerHeight - box.height) / 2;
    }
    const band = (state.doc && state.doc.default && Number(state.doc.default.clock_band)) || 0.3;
    const clock = $("clock");
    clock.style.left = `${box.left}px`;
    clock.style.width = `${box.width}px`;
    clock.style.top = `${box.top + box.height * (1 - band)}px`;
    clock.style.height = `${box.height * band}px`;
    clock.style.fontSize = `${Math.max(8, box.height * band * 0.36)}px`;
  }

  function tickClock() {
    const zone = (state.doc && state.doc.screen && state.doc.screen.timezone) || undefined;
    const now = new Date(serverNow());
    try {
      $("clock-date").textContent = now.toLocaleDateString("id-ID", {
        timeZone: zone,
        weekday: "long",
        day: "numeric",
        month: "long",
        year: "numeric",
      });
      $("clock-time").textContent = now.toLocaleTimeString("id-ID", { timeZone: zone, hour: "2-digit", minute: "2-digit" });
    } catch (_err) {
      $("clock-time").textContent = now.toLocaleTimeString("id-ID"); // an unknown zone name
    }
  }

  function showClock(on) {
    $("clock").hidden = !on;
    clearInterval(state.clockTimer);
    if (on) {
      tickClock();
      state.clockTimer = setInterval(tickClock, 1000);
    }
  }

  function idle(on) {
    $("idle").hidden = !on;
    if (on) $("idle-clock").textContent = new Date(serverNow()).toLocaleTimeString("id-ID");
    if (on) for (const img of images) img.classList.remove("shown");
  }

  async function swapTo(url, slide, seq) {
    const back = images[1 - front];
    back.src = url;
    back.alt = slide.headline || "";
    try {
      await back.decode();
    } catch (_err) {
      // A broken image keeps the previous slide on screen rather than showing nothing.
      return false;
    }
    if (seq !== state.seq) return false; // a newer call took over while this image decoded
    back.classList.add("shown");
    images[front].classList.remove("shown");
    front = 1 - front;
    idle(false);
    return true;
  }

  async function showFallback(seq) {
    const slide = fallback();
    state.current = null;
    if (!slide) {
      // Outside hours on a screen set to go dark (or before any playlist arrived).
      state.showing = "dark";
      document.body.dataset.current = "";
      showClock(false);
      idle(!state.doc);
      if (state.doc) for (const img of images) img.classList.remove("shown");
    } else if (state.showing !== "default" || document.body.dataset.current !== slide.sha256) {
      const shown = await swapTo(state.urls.get(slide.sha256), slide, seq);
      if (seq !== state.seq) return;
      if (shown) {
        state.showing = "default";
        document.body.dataset.current = slide.sha256;
        showClock(true);
        note("default", slide.sha256);
      }
    }
    document.body.dataset.showing = state.showing;
    showInfo();
  }

  function finishCurrent() {
    const current = state.current;
    if (!current || !state.startedAt) return;
    const seconds = (performance.now() - state.shownAt) / 1000;
    state.startedAt = null;
    if (seconds >= 0.05) queuePlay(current, state.startedAtIso, seconds);
  }

  async function next(interrupt) {
    clearTimeout(state.timer);
    const seq = ++state.seq;
    finishCurrent();
    const playing = playable();
    if (!playing.length) {
      await showFallback(seq);
      if (seq === state.seq) state.timer = setTimeout(() => next(false), 1000);
      return;
    }
    let index = 0;
    if (state.current && !interrupt) {
      const at = playing.findIndex((s) => s.sha256 === state.current.sha256 && s.id === state.current.id);
      index = at >= 0 ? (at + 1) % playing.length : (state.index + 1) % playing.length;
    } else if (state.current) {
      const at = playing.findIndex((s) => s.sha256 === state.current.sha256 && s.id === state.current.id);
      index = at >= 0 ? at : 0;
    }
    const slide = playing[index];
    const shown = await swapTo(state.urls.get(slide.sha256), slide, seq);
    if (seq !== state.seq) return;
    if (!shown) {
      state.index = index;
      state.timer = setTimeout(() => next(false), 1000);
      return;
    }
    state.current = slide;
    state.showing = "slide";
    document.body.dataset.showing = "slide";
    showClock(false);
    state.index = index;
    state.shownAt = performance.now();
    state.startedAt = Date.now();
    state.startedAtIso = new Date().toISOString();
    document.body.dataset.current = slide.sha256;
    note("show", slide.sha256);
    showInfo();
    state.timer = setTimeout(() => next(false), slide.seconds * 1000);
  }

  // --- talking to the feed --------------------------------------------------------------------

  function setOnline(online) {
    if (online && state.online !== true) state.offlineSince = null;
    if (!online && state.online !== false) state.offlineSince = Date.now();
    state.online = online;
    document.body.dataset.state = online ? "online" : "offline";
    showInfo();
  }

  function schedulePoll() {
    clearTimeout(state.pollTimer);
    let delay = rhythm.poll * 1000;
    const change = state.doc && state.doc.next_change ? Date.parse(state.doc.next_change) : NaN;
    if (Number.isFinite(change)) delay = Math.min(delay, Math.max(change - serverNow() + 500, 1000));
    state.pollTimer = setTimeout(poll, delay);
  }

  async function poll() {
    if (state.polling) {
      state.pollAgain = true; // a change announced while a poll runs: ask once more after it
      return;
    }
    state.polling = true;
    try {
      const headers = state.etag ? { "If-None-Match": state.etag } : {};
      const response = await fetchWithTimeout(PLAYLIST_URL, { headers, cache: "no-store" });
      if (response.status === 304) {
        setOnline(true);
      } else if (response.ok) {
        const doc = await response.json();
        await adopt(doc, response.headers.get("ETag"), true);
        setOnline(true);
      } else {
        throw new Error(`playlist ${response.status}`);
      }
    } catch (err) {
      note("poll-failed", String(err));
      setOnline(false);
    } finally {
      state.polling = false;
    }
    if (state.pollAgain) {
      state.pollAgain = false;
      poll();
      return;
    }
    schedulePoll();
  }

  function listen() {
    // The feed announces each new playlist (its ETag) at once; polling stays as the fallback.
    // EventSource reconnects by itself after an outage.
    if (!("EventSource" in window)) return;
    const source = new EventSource(EVENTS_URL);
    source.addEventListener("playlist", (event) => {
      let etag = "";
      try {
        etag = JSON.parse(event.data).etag || "";
      } catch (_err) {
        return;
      }
      note("announced", etag);
      if (etag && etag !== state.etag) poll();
    });
  }

  async function queuePlay(slide, playedAtIso, seconds) {
    const event = {
      event_id: newEventId(),
      sha256: slide.sha256,
      played_at: playedAtIso,
      seconds: Math.round(seconds * 1000) / 1000,
    };
    try {
      await store.put("plays", event);
      const count = await store.count("plays");
      if (count > MAX_QUEUE) {
        const keys = await store.keys("plays");
        for (const key of keys.slice(0, count - MAX_QUEUE)) await store.del("plays", key);
      }
    } catch (err) {
      note("queue-failed", String(err));
    }
  }

  async function flushPlays() {
    if (state.flushing) return;
    state.flushing = true;
    try {
      for (;;) {
        const batch = await store.all("plays", BATCH);
        if (!batch.length) break;
        const body = JSON.stringify({ player_id: state.playerId, sent_at: new Date().toISOString(), events: batch });
        const response = await fetchWithTimeout(PLAYS_URL, { method: "POST", headers: reportHeaders(), body });
        registered(response.status);
        // 400/422: the feed will never take this batch; keeping it would block the queue for good.
        // 401 (no key yet) and 429 keep it: the plays are true and will be taken later.
        if (!response.ok && response.status !== 400 && response.status !== 422) {
          throw new Error(`plays ${response.status}`);
        }
        for (const event of batch) await store.del("plays", event.event_id);
        note("plays-sent", batch.length);
        if (batch.length < BATCH) break;
      }
    } catch (err) {
      note("plays-failed", String(err)); // kept in the queue; sent again next time
    } finally {
      state.flushing = false;
      setTimeout(flushPlays, rhythm.flush * 1000);
    }
  }

  async function heartbeat() {
    try {
      const queued = await store.count("plays");
      const sentAt = Date.now();
      const response = await fetchWithTimeout(HEARTBEAT_URL, {
        method: "POST",
        headers: reportHeaders(),
        body: JSON.stringify({
          player_id: state.playerId,
          clock: new Date(sentAt).toISOString(),
          current_sha256: state.current ? state.current.sha256 : null,
          etag: state.etag,
          state: {
            online: state.online === true,
            offline_since: state.offlineSince ? new Date(state.offlineSince).toISOString() : null,
            queued_plays: queued,
            cached_slides: state.urls.size,
            showing: state.showing,
            mode: document.body.dataset.mode || "",
            window: `${window.innerWidth}x${window.innerHeight}`,
          },
        }),
      });
      registered(response.status);
      if (response.ok) {
        const answer = await response.json();
        const server = Date.parse(answer.server_time);
        if (Number.isFinite(server)) state.clockOffsetMs = server - (sentAt + Date.now()) / 2;
      }
    } catch (err) {
      note("heartbeat-failed", String(err));
    } finally {
      setTimeout(heartbeat, rhythm.heartbeat * 1000);
    }
  }

  function reportHeaders() {
    const headers = { "Content-Type": "application/json" };
    if (state.playerKey) headers.Authorization = `Bearer ${state.playerKey}`;
    return headers;
  }

  function registered(status) {
    if (status === 401) document.body.dataset.registered = "no";
    else if (status < 500) document.body.dataset.registered = "yes";
  }

  async function takeKey() {
    // The launcher opens the page as …/player#key=spk_…: keep the key, then drop it from the
    // address bar (the fragment never reaches the network, and now not the history either).
    const fragment = new URLSearchParams(location.hash.slice(1));
    const given = fragment.get("key");
    if (given && /^spk_[A-Za-z0-9_-]{20,96}$/.test(given)) {
      await store.put("kv", given, "player_key");
      history.replaceState(null, "", location.pathname + location.search);
    }
    state.playerKey = (await store.get("kv", "player_key")) || "";
  }

  function registerServiceWorker() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) {
      document.body.dataset.sw = "unavailable";
      return;
    }
    navigator.serviceWorker
      .register("sw.js")
      .then(() => navigator.serviceWorker.ready)
      .then(() => {
        document.body.dataset.sw = "ready";
      })
      .catch((err) => {
        document.body.dataset.sw = "failed";
        note("sw-failed", String(err));
      });
  }

  async function boot() {
    try {
      store = idbStore(await openDb());
    } catch (err) {
      note("storage-failed", String(err));
    }
    try {
      await takeKey();
      state.playerId = (await store.get("kv", "player_id")) || "";
      if (!state.playerId) {
        state.playerId = "p-" + randomHex(8);
        await store.put("kv", state.playerId, "player_id");
      }
      const saved = await store.get("kv", "playlist");
      if (saved && saved.doc) await adopt(saved.doc, saved.etag, false);
    } catch (err) {
      note("restore-failed", String(err));
    }
    if (DEBUG) window.__siaranPlayer = { state, log: state.log, poll, flushPlays, heartbeat };
    window.addEventListener("resize", layout);
    registerServiceWorker();
    if (!state.current) next(true);
    await poll();
    listen();
    heartbeat();
    setTimeout(flushPlays, rhythm.flush * 1000);
  }

  boot();
})();
