// The officer's scanner keeps working with no signal: this worker keeps the scanner's page
// and files, and serves the page, the keys and the revocation list from what it kept when
// the network is gone. It keeps nothing a scan shows (the scanner never asks the server
// about a certificate).
"use strict";

const CACHE_PREFIX = "scanner-";
const CACHE = `${CACHE_PREFIX}{{ version|escapejs }}`;
const PRECACHE = {{ precache_json|safe }};
const SCAN_PAGE = new URL("{{ scan_url|escapejs }}", self.location.href).href;
// Fresh when the network answers, the kept copy when it does not.
const NETWORK_FIRST = new Set(
  [SCAN_PAGE, "{{ keys_url|escapejs }}", "{{ status_url|escapejs }}"].map(
    (url) => new URL(url, self.location.href).href
  )
);
const PRECACHED = new Set(PRECACHE.map((url) => new URL(url, self.location.href).href));
// On one bar of signal a request can take a long time to fail: after this long the kept
// copy is used, and the network's answer still replaces it when it comes.
const NETWORK_WAIT_MS = 4000;
// The site's pages vary by cookie; the scanner's copy is the same for everyone.
const MATCH = { ignoreVary: true };

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
            .map((name) => caches.delete(name))
        )
      )
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Whatever the query string (an installed app may add one), it is the scanner page.
    event.respondWith(networkFirst(request, SCAN_PAGE));
  } else if (NETWORK_FIRST.has(url.href)) {
    event.respondWith(networkFirst(request, url.href));
  } else if (PRECACHED.has(url.href)) {
    event.respondWith(cacheFirst(request));
  }
});

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(request, MATCH)) || fetch(request);
}

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(key, MATCH);
  const fromNetwork = fetch(request).then(
    (response) => {
      // A redirected response may not answer a navigation; an error page is not the scanner.
      if (response.ok && !response.redirected) {
        cache.put(key, response.clone());
        return response;
      }
      return kept || response;
    },
    (error) => {
      if (kept) return kept;
      throw error;
    }
  );
  if (!kept) return fromNetwork;
  const late = new Promise((resolve) => {
    setTimeout(() => resolve(kept), NETWORK_WAIT_MS);
  });
  return Promise.race([fromNetwork, late]);
}
