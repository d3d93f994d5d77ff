/* Keeps the player page itself available when the feed is down, also after a browser restart.
   Only the page, its script and its style pass through here (network first, then the cache);
   the playlist, the slides and the reports are the page's own business (IndexedDB). */
"use strict";

const CACHE = "siaran-player-shell-v1";
const SHELL = ["player", "player.js", "player.css"];
const NETWORK_TIMEOUT_MS = 5000;

function shellName(url) {
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return null;
  const name = url.pathname.slice(scope.pathname.length);
  return SHELL.includes(name) ? name : null;
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

function withTimeout(promise) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), NETWORK_TIMEOUT_MS);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

async function networkFirst(request, name) {
  const cache = await caches.open(CACHE);
  const key = new URL(name, self.registration.scope).href;
  try {
    const response = await withTimeout(fetch(request));
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (err) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw err;
  }
}

self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET") return;
  const name = shellName(new URL(event.request.url));
  if (name === null) return;
  event.respondWith(networkFirst(event.request, name));
});
