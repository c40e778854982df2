// The officer's certificate scanner (/verify/scan/): checks a certificate's signed QR code
// on the phone, with no signal. The signature is checked against the keys the site
// publishes and the certificate's bit against the last signed list of revoked
// certificates, both fetched whenever the phone is online. The verdict follows the same
// rules, in the same order and words, as `manage.py certificates verify-qr`
// (certificates/offline.py), except one case: a bare /verify/<code>/ link with no signed
// part (a certificate printed before codes were signed) is "Cannot check" here, with a link
// to check it online, not "Not genuine". The phone keeps those two public files and nothing
// else: no scan is ever stored, and the last result is only on screen.
(() => {
  "use strict";

  const root = document.getElementById("scanner");
  if (!root) return;
  const ready =
    window.isSecureContext &&
    window.crypto &&
    window.crypto.subtle &&
    window.TextDecoder &&
    window.DecompressionStream &&
    window.fetch &&
    storageWorks();
  if (!ready) return;

  const urls = {
    keys: root.dataset.keysUrl,
    statusList: root.dataset.statusUrl,
    worker: root.dataset.swUrl,
    scope: root.dataset.scope,
    verify: root.dataset.verifyUrl,
  };
  const STORE_KEYS = "scanner:keys";
  const STORE_STATUS_LIST = "scanner:status-list";
  // Matches certificates/signing.py and certificates/offline.py.
  const MAX_TEXT_LENGTH = 2000;
  const COSE_SIGN1_TAG = 18;
  const COSE_SIGN1_PARTS = 4;
  const HEADER_ALG = 1;
  const HEADER_KID = 4;
  const ES256 = -7;
  const SIGNATURE_BYTES = 64;
  const LIST_STALE_AFTER_MS = 24 * 60 * 60 * 1000;
  const VERIFY_PATH = /\/verify\/([^/#?]{1,80})\//;
  // An app left open in the background syncs again when it comes back, at most this often.
  const RESYNC_AFTER_MS = 5 * 60 * 1000;
  // A camera frame wider than this is scaled down first: a QR code that fills part of the
  // view still decodes, in a fraction of the time.
  const MAX_FRAME_WIDTH = 800;
  const FRAME_INTERVAL_MS = 150;
  const ECDSA_P256 = { name: "ECDSA", namedCurve: "P-256" };
  const ECDSA_SHA256 = { name: "ECDSA", hash: "SHA-256" };

  const NOT_OURS = "This is not a Spot the Signs certificate code.";
  const UNKNOWN_KEY = "Signed with a key this site does not publish.";
  const ALTERED = "The signature does not match: the certificate has been altered.";
  const OTHER_SITE = "Issued by another site, not this one.";
  const LINK_MISMATCH = "The link and the signed details name different certificates.";
  const NO_LIST =
    "No trustworthy list of revoked certificates on this phone yet. Connect to the internet " +
    "and open the scanner.";
  const NO_KEYS =
    "This phone does not have the site's keys yet. Connect to the internet and open the scanner.";
  const UNSIGNED_LINK =
    "This QR code is only a link, with no signed details, so it can only be checked online.";
  const REVOKED = "Revoked or replaced.";

  // --- Storage: only the public keys and the signed list, never a scan ---------------------

  function storageWorks() {
    try {
      window.localStorage.setItem("scanner:test", "1");
      window.localStorage.removeItem("scanner:test");
      return true;
    } catch (error) {
      return false;
    }
  }

  function stored(name) {
    return window.localStorage.getItem(name);
  }

  function store(name, value) {
    try {
      window.localStorage.setItem(name, value);
    } catch (error) {
      // A full or locked store keeps the previous copy, which is still checked and dated.
    }
  }

  // --- Bytes ------------------------------------------------------------------------------

  const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  class Malformed extends Error {}

  /** RFC 4648 base32, upper case and unpadded, as the QR code carries it. */
  function base32Decode(text) {
    if (!/^[A-Z2-7]+$/.test(text) || [1, 3, 6].includes(text.length % 8)) throw new Malformed();
    const bytes = new Uint8Array(Math.floor((text.length * 5) / 8));
    let buffer = 0;
    let bits = 0;
    let index = 0;
    for (const symbol of text) {
      buffer = (buffer << 5) | BASE32.indexOf(symbol);
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        bytes[index++] = (buffer >> bits) & 0xff;
      }
      buffer &= (1 << bits) - 1;
    }
    return bytes;
  }

  function base64url(bytes) {
    return bytesToBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function bytesToBase64(bytes) {
    let binary = "";
    for (let start = 0; start < bytes.length; start += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(start, start + 0x8000));
    }
    return window.btoa(binary);
  }

  function base64ToBytes(text) {
    const binary = window.atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
    return bytes;
  }

  function concat(parts) {
    const whole = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      whole.set(part, offset);
      offset += part.length;
    }
    return whole;
  }

  async function gunzip(bytes) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  // --- CBOR (RFC 8949): just what COSE_Sign1 and its payloads use -------------------------

  class Tagged {
    constructor(tag, value) {
      this.tag = tag;
      this.value = value;
    }
  }

  const UTF8 = new TextDecoder("utf-8", { fatal: true });
  // Deeper than any payload here; a hostile text cannot exhaust the stack.
  const MAX_DEPTH = 8;

  /** One CBOR item filling `bytes` exactly: maps (as Map), arrays, text, byte strings (as
   * Uint8Array views), integers, null, true, false and tags. Anything else (floats,
   * indefinite lengths, integers past 2^53, trailing bytes) is Malformed. */
  function cborDecode(bytes) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let offset = 0;

    function take(length) {
      if (length > bytes.length - offset) throw new Malformed();
      const start = offset;
      offset += length;
      return start;
    }

    function argument(info) {
      if (info < 24) return info;
      if (info === 24) return view.getUint8(take(1));
      if (info === 25) return view.getUint16(take(2));
      if (info === 26) return view.getUint32(take(4));
      if (info === 27) {
        const at = take(8);
        const high = view.getUint32(at);
        if (high >= 0x200000) throw new Malformed();
        return high * 0x100000000 + view.getUint32(at + 4);
      }
      throw new Malformed();
    }

    function item(depth) {
      if (depth > MAX_DEPTH) throw new Malformed();
      const initial = bytes[take(1)];
      const major = initial >> 5;
      const info = initial & 0x1f;
      if (major === 7) {
        if (info === 20) return false;
        if (info === 21) return true;
        if (info === 22) return null;
        throw new Malformed();
      }
      const value = argument(info);
      switch (major) {
        case 0:
          return value;
        case 1:
          return -1 - value;
        case 2: {
          const start = take(value);
          return bytes.subarray(start, start + value);
        }
        case 3: {
          const start = take(value);
          return UTF8.decode(bytes.subarray(start, start + value));
        }
        case 4: {
          const list = [];
          for (let index = 0; index < value; index++) list.push(item(depth + 1));
          return list;
        }
        case 5: {
          const map = new Map();
          for (let index = 0; index < value; index++) {
            const key = item(depth + 1);
            if ((typeof key !== "string" && typeof key !== "number") || map.has(key)) {
              throw new Malformed();
            }
            map.set(key, item(depth + 1));
          }
          return map;
        }
        default:
          return new Tagged(value, item(depth + 1));
      }
    }

    const result = item(0);
    if (offset !== bytes.length) throw new Malformed();
    return result;
  }

  function cborHead(major, length) {
    const type = major << 5;
    if (length < 24) return Uint8Array.of(type | length);
    if (length < 0x100) return Uint8Array.of(type | 24, length);
    if (length < 0x10000) return Uint8Array.of(type | 25, length >> 8, length & 0xff);
    return Uint8Array.of(
      type | 26,
      length >>> 24,
      (length >> 16) & 0xff,
      (length >> 8) & 0xff,
      length & 0xff
    );
  }

  function cborBytes(bytes) {
    return concat([cborHead(2, bytes.length), bytes]);
  }

  const SIGNATURE1 = new TextEncoder().encode("Signature1");

  /** The COSE Sig_structure ["Signature1", protected, h'', payload]: what was signed. */
  function toBeSigned(protectedBytes, payload) {
    return concat([
      cborHead(4, 4),
      cborHead(3, SIGNATURE1.length),
      SIGNATURE1,
      cborBytes(protectedBytes),
      cborBytes(new Uint8Array(0)),
      cborBytes(payload),
    ]);
  }

  // --- COSE_Sign1 -------------------------------------------------------------------------

  class NotGenuine extends Error {}

  /** The claims of a COSE_Sign1 message one of `keyring`'s keys signed, for its issuer;
   * otherwise NotGenuine saying why, as signing.cose_open does. */
  async function coseOpen(message, keyring) {
    let parts;
    let header;
    try {
      const decoded = cborDecode(message);
      if (!(decoded instanceof Tagged) || decoded.tag !== COSE_SIGN1_TAG) throw new Malformed();
      parts = decoded.value;
      if (!Array.isArray(parts) || parts.length !== COSE_SIGN1_PARTS) throw new Malformed();
      header = cborDecode(parts[0]);
    } catch (error) {
      throw new NotGenuine(NOT_OURS);
    }
    const [protectedBytes, , payload, signature] = parts;
    if (![protectedBytes, payload, signature].every((part) => part instanceof Uint8Array)) {
      throw new NotGenuine(NOT_OURS);
    }
    if (!(header instanceof Map) || header.get(HEADER_ALG) !== ES256) {
      throw new NotGenuine(NOT_OURS);
    }
    const kid = header.get(HEADER_KID);
    const key = kid instanceof Uint8Array ? keyring.keys.get(base64url(kid)) : undefined;
    if (!key) throw new NotGenuine(UNKNOWN_KEY);
    if (signature.length !== SIGNATURE_BYTES) throw new NotGenuine(ALTERED);
    const genuine = await window.crypto.subtle.verify(
      ECDSA_SHA256,
      key,
      signature,
      toBeSigned(protectedBytes, payload)
    );
    if (!genuine) throw new NotGenuine(ALTERED);
    let claims;
    try {
      claims = cborDecode(payload);
    } catch (error) {
      throw new NotGenuine(NOT_OURS);
    }
    if (!(claims instanceof Map)) throw new NotGenuine(NOT_OURS);
    if (claims.get("iss") !== keyring.issuer) throw new NotGenuine(OTHER_SITE);
    return claims;
  }

  // --- What the phone has synced, checked each time it is used ----------------------------

  let keyringMemo = { raw: undefined, keyring: null };
  let listMemo = { raw: undefined, keyring: null, list: null };

  /** The published keys (by kid) and the site they sign for, or null before any sync. */
  async function keyringFrom(raw) {
    if (raw === keyringMemo.raw) return keyringMemo.keyring;
    let published = null;
    try {
      published = JSON.parse(raw);
    } catch (error) {
      published = null;
    }
    let keyring = null;
    if (published && typeof published.issuer === "string" && Array.isArray(published.keys)) {
      keyring = { issuer: published.issuer, keys: new Map() };
      for (const jwk of published.keys) {
        const key = await publicKey(jwk);
        if (key) keyring.keys.set(jwk.kid, key);
      }
    }
    keyringMemo = { raw: raw, keyring: keyring };
    return keyring;
  }

  /** A JWK as a WebCrypto key, or null for one that is not a P-256 public key. */
  async function publicKey(jwk) {
    try {
      return await window.crypto.subtle.importKey(
        "jwk",
        { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
        ECDSA_P256,
        false,
        ["verify"]
      );
    } catch (error) {
      return null;
    }
  }

  /** The status list if it is genuine and whole, otherwise null: a list that fails its
   * signature is never trusted, since a forged one could clear any revocation. */
  async function statusListFrom(raw, keyring) {
    if (!raw || !keyring) return null;
    if (raw === listMemo.raw && keyring === listMemo.keyring) return listMemo.list;
    let list = null;
    try {
      const claims = await coseOpen(base64ToBytes(raw), keyring);
      const bits = await gunzip(claims.get("bits"));
      const size = claims.get("size");
      const madeAt = claims.get("iat");
      if (Number.isInteger(size) && Number.isInteger(madeAt) && bits.length * 8 === size) {
        list = { bits: bits, size: size, madeAt: new Date(madeAt * 1000) };
      }
    } catch (error) {
      list = null;
    }
    listMemo = { raw: raw, keyring: keyring, list: list };
    return list;
  }

  /** False when the certificate's bit is set; an index past the list's end is a
   * certificate newer than the list, not revoked when it was made. */
  function holds(list, index) {
    if (index >= list.size) return true;
    return !(list.bits[index >> 3] & (0x80 >> (index & 7)));
  }

  // --- The verdict --------------------------------------------------------------------------

  function localDay(date) {
    const pad = (number) => String(number).padStart(2, "0");
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  }

  /** The signed part of a QR text (after "#", or the whole text), the code in its
   * /verify/<code>/ link if it is a link ("" for a link to anything else), and whether it
   * is a link with no signed part at all. */
  function textParts(text) {
    const hash = text.indexOf("#");
    if (hash < 0) {
      const match = /^https?:\/\//i.test(text) && VERIFY_PATH.exec(text);
      return { fragment: text, linkCode: null, unsignedCode: match ? match[1] : null };
    }
    const match = VERIFY_PATH.exec(text.slice(0, hash));
    return { fragment: text.slice(hash + 1), linkCode: match ? match[1] : "", unsignedCode: null };
  }

  async function verdictFor(rawText) {
    const text = rawText.trim();
    if (!text || text.length > MAX_TEXT_LENGTH) return { status: "not-genuine", reason: NOT_OURS };
    const parts = textParts(text);
    if (parts.unsignedCode) {
      return { status: "cannot-check", reason: UNSIGNED_LINK, code: parts.unsignedCode };
    }
    let message;
    try {
      message = base32Decode(parts.fragment);
    } catch (error) {
      return { status: "not-genuine", reason: NOT_OURS };
    }
    const keyring = await keyringFrom(stored(STORE_KEYS));
    if (!keyring) return { status: "cannot-check", reason: NO_KEYS };
    let claims;
    try {
      claims = certificateFrom(await coseOpen(message, keyring));
    } catch (error) {
      const reason = error instanceof NotGenuine ? error.message : NOT_OURS;
      return { status: "not-genuine", reason: reason };
    }
    if (parts.linkCode !== null && parts.linkCode !== claims.code) {
      return { status: "not-genuine", reason: LINK_MISMATCH };
    }
    const list = await statusListFrom(stored(STORE_STATUS_LIST), keyring);
    if (!list) return { status: "cannot-check", reason: NO_LIST, code: claims.code };
    const checked = { certificate: claims, list: list, code: claims.code };
    if (!holds(list, claims.index)) return { status: "revoked", ...checked };
    if (claims.validUntil !== null && claims.validUntil < localDay(new Date())) {
      return { status: "expired", ...checked };
    }
    return { status: "valid", ...checked };
  }

  const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

  /** The signed claims, named; a payload without them is not one of ours. */
  function certificateFrom(claims) {
    const text = (name) => {
      const value = claims.get(name);
      if (typeof value !== "string") throw new NotGenuine(NOT_OURS);
      return value;
    };
    const version = claims.get("v");
    const licences = claims.get("l");
    const validUntil = claims.get("x");
    const index = claims.get("s");
    if (
      (typeof version !== "string" && typeof version !== "number") ||
      !Array.isArray(licences) ||
      !licences.every(
        (pair) =>
          Array.isArray(pair) && pair.length === 2 && pair.every((part) => typeof part === "string")
      ) ||
      !(validUntil === null || (typeof validUntil === "string" && ISO_DAY.test(validUntil))) ||
      !ISO_DAY.test(text("d")) ||
      !Number.isInteger(index) ||
      index < 0
    ) {
      throw new NotGenuine(NOT_OURS);
    }
    return {
      code: text("c"),
      name: text("n"),
      course: text("t"),
      version: String(version),
      issuer: text("i"),
      licences: licences,
      completedOn: text("d"),
      validUntil: validUntil,
      index: index,
    };
  }

  // --- Words for dates and times ----------------------------------------------------------

  function dayInWords(isoDay) {
    const [year, month, day] = isoDay.split("-").map(Number);
    return new Date(year, month - 1, day).toLocaleDateString("en-GB", {
      day: "numeric",
      month: "long",
      year: "numeric",
    });
  }

  /** "14:02 today", "14:02 on 3 December", or with the year when it is another year's. */
  function momentInWords(date) {
    const now = new Date();
    const time = date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
    if (localDay(date) === localDay(now)) return `${time} today`;
    const options = { day: "numeric", month: "long" };
    if (date.getFullYear() !== now.getFullYear()) options.year = "numeric";
    return `${time} on ${date.toLocaleDateString("en-GB", options)}`;
  }

  function isStale(list) {
    return Date.now() - list.madeAt.getTime() > LIST_STALE_AFTER_MS;
  }

  /** XXXX-XXXX-XXXX-XXXXX, as printed under the QR code (certificates/codes.py). */
  function codeInGroups(code) {
    return code.replace(/^(.{4})(.{4})(.{4})(.{5})$/, "$1-$2-$3-$4");
  }

  function onlineUrl(code) {
    return `${urls.verify}${encodeURIComponent(code)}/`;
  }

  // --- Showing a result -------------------------------------------------------------------

  const verdictArea = document.getElementById("scan-verdict");
  const detailsArea = document.getElementById("scan-details");
  const syncState = document.getElementById("sync-state");

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    for (const child of children || []) {
      node.append(child);
    }
    return node;
  }

  const LOOKS = {
    valid: { box: "verdict--ok", symbol: "✓", label: "Valid" },
    expired: { box: "verdict--warn", symbol: "!", label: "Expired" },
    revoked: { box: "verdict--bad", symbol: "✗", label: "Revoked" },
    "not-genuine": { box: "verdict--bad", symbol: "✗", label: "Not genuine" },
    "cannot-check": { box: "verdict--warn", symbol: "!", label: "Cannot check" },
  };

  function verdictBox(verdict) {
    const look = LOOKS[verdict.status];
    const label = element("p", { class: "verdict__label" }, [
      element("span", { "aria-hidden": "true" }, [`${look.symbol} `]),
      look.label,
    ]);
    const certificate = verdict.certificate;
    let explanation;
    if (verdict.status === "valid") {
      explanation = certificate.validUntil
        ? `Valid until ${dayInWords(certificate.validUntil)}.`
        : "Does not expire.";
    } else if (verdict.status === "expired") {
      explanation =
        `Expired on ${dayInWords(certificate.validUntil)}. ` +
        "The holder needs to do the refresher course.";
    } else if (verdict.status === "revoked") {
      explanation = element("span", {}, [
        `${REVOKED} `,
        element("a", { href: onlineUrl(verdict.code) }, ["Check online for details"]),
        ".",
      ]);
    } else {
      explanation = verdict.reason;
    }
    return element("div", { class: `verdict ${look.box}` }, [
      label,
      element("p", {}, [explanation]),
    ]);
  }

  function summaryRow(term, details) {
    return element("div", {}, [element("dt", {}, [term]), element("dd", {}, details)]);
  }

  function certificateDetails(certificate) {
    const licences = [];
    certificate.licences.forEach(([authority, number], position) => {
      if (position) licences.push(element("br"));
      licences.push(`${number} (${authority})`);
    });
    const rows = [
      summaryRow("Name", [certificate.name]),
      summaryRow("Course", [
        certificate.course,
        element("br"),
        element("span", { class: "field__hint" }, [`Version ${certificate.version}`]),
      ]),
      summaryRow("Issued by", [certificate.issuer]),
    ];
    if (licences.length) {
      rows.push(summaryRow(certificate.licences.length > 1 ? "Licences" : "Licence", licences));
    }
    rows.push(
      summaryRow("Completed", [dayInWords(certificate.completedOn)]),
      summaryRow("Valid until", [
        certificate.validUntil ? dayInWords(certificate.validUntil) : "Does not expire",
      ]),
      summaryRow("Code", [codeInGroups(certificate.code)])
    );
    return element("dl", { class: "summary-list" }, rows);
  }

  function show(verdict, check) {
    const details = [];
    if (verdict.certificate) {
      details.push(
        certificateDetails(verdict.certificate),
        element("p", { class: "scanner__checked" }, [
          `Checked offline against revocations as of ${momentInWords(verdict.list.madeAt)}.`,
        ])
      );
      if (isStale(verdict.list)) details.push(staleWarning());
    }
    if (verdict.code && verdict.status !== "revoked" && navigator.onLine) {
      details.push(
        element("p", {}, [
          element("a", { href: onlineUrl(verdict.code), class: "button button--secondary" }, [
            "Check online",
          ]),
        ])
      );
    }
    // Shown a moment after checkAndShow emptied the areas, so a screen reader announces a
    // second identical verdict too.
    window.setTimeout(() => {
      if (check !== checksMade) return;
      verdictArea.replaceChildren(verdictBox(verdict));
      detailsArea.replaceChildren(...details);
      verdictArea.scrollIntoView({ block: "nearest" });
    }, 50);
  }

  function staleWarning() {
    return element("div", { class: "notice notice--warning" }, [
      element("p", {}, [
        "The list of revoked certificates on this phone is more than a day old. " +
          "Connect to the internet to refresh it.",
      ]),
    ]);
  }

  // Only the latest check's result is shown, whichever finishes last.
  let checksMade = 0;

  /** Empty the result; a check still running then never shows its verdict. */
  function resultClear() {
    verdictArea.replaceChildren();
    detailsArea.replaceChildren();
    return ++checksMade;
  }

  async function checkAndShow(text) {
    const check = resultClear();
    try {
      show(await verdictFor(text), check);
    } catch (error) {
      show({ status: "not-genuine", reason: NOT_OURS }, check);
    }
  }

  // --- Syncing the keys and the status list whenever online -------------------------------

  let syncing = null;
  let lastSyncAttempt = 0;
  let lastSyncFailed = false;

  function sync() {
    if (!navigator.onLine) {
      showSyncState();
      return Promise.resolve();
    }
    if (!syncing) {
      lastSyncAttempt = Date.now();
      syncing = fetchPublished()
        .then(() => {
          lastSyncFailed = false;
        })
        .catch(() => {
          lastSyncFailed = true;
        })
        .then(() => {
          syncing = null;
          return showSyncState();
        });
      showSyncState();
    }
    return syncing;
  }

  async function fetchPublished() {
    const keysResponse = await fetch(urls.keys, { cache: "no-cache", credentials: "omit" });
    if (!keysResponse.ok) throw new Error("keys");
    const keysText = await keysResponse.text();
    const keyring = await keyringFrom(keysText);
    if (!keyring) throw new Error("keys");
    store(STORE_KEYS, keysText);

    const listResponse = await fetch(urls.statusList, { cache: "no-cache", credentials: "omit" });
    if (!listResponse.ok) throw new Error("status list");
    const fetched = bytesToBase64(new Uint8Array(await listResponse.arrayBuffer()));
    const fresh = await statusListFrom(fetched, keyring);
    if (!fresh) throw new Error("status list");
    // Never go back to an older list (a copy kept by the browser, say).
    const current = await statusListFrom(stored(STORE_STATUS_LIST), keyring);
    if (!current || fresh.madeAt >= current.madeAt) store(STORE_STATUS_LIST, fetched);
  }

  let syncStateShown = 0;

  async function showSyncState() {
    const ticket = ++syncStateShown;
    const keyring = await keyringFrom(stored(STORE_KEYS));
    const list = await statusListFrom(stored(STORE_STATUS_LIST), keyring);
    // Only the latest call writes: an earlier one can finish later.
    if (ticket !== syncStateShown) return;
    const words = [];
    if (list) {
      words.push(`Revocation list from ${momentInWords(list.madeAt)}.`);
      if (isStale(list)) {
        words.push("It is more than a day old: connect to the internet to refresh it.");
      }
    } else {
      words.push("No revocation list on this phone yet: connect to the internet to get one.");
    }
    if (!navigator.onLine) words.push("You are offline.");
    else if (syncing) words.push("Updating…");
    else if (lastSyncFailed) words.push("It could not be updated just now.");
    syncState.textContent = words.join(" ");
    syncState.classList.toggle("scanner__sync--stale", !list || isStale(list));
    root.dataset.synced = list && !syncing && !lastSyncFailed && navigator.onLine ? "yes" : "no";
  }

  // --- The camera -------------------------------------------------------------------------

  const startButton = document.getElementById("scan-start");
  const stopButton = document.getElementById("scan-stop");
  const cameraBox = document.getElementById("camera");
  const video = document.getElementById("camera-view");
  const cameraMessage = document.getElementById("camera-message");
  let stream = null;
  let frameTimer = null;
  let readFrame = null;

  async function frameReader() {
    if ("BarcodeDetector" in window) {
      try {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.includes("qr_code")) {
          const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
          return async () => {
            const found = await detector.detect(video);
            return found.length ? found[0].rawValue : null;
          };
        }
      } catch (error) {
        // Fall through to jsQR.
      }
    }
    if (typeof window.jsQR !== "function") return null;
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    return async () => {
      const scale = Math.min(1, MAX_FRAME_WIDTH / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      const found = window.jsQR(frame.data, frame.width, frame.height, {
        inversionAttempts: "dontInvert",
      });
      return found ? found.data : null;
    };
  }

  async function cameraStart() {
    cameraMessage.textContent = "";
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      cameraMessage.textContent =
        "This browser cannot use the camera here. Paste the text from the QR code instead.";
      return;
    }
    readFrame = readFrame || (await frameReader());
    if (!readFrame) {
      cameraMessage.textContent =
        "This browser cannot read QR codes. Paste the text from the QR code instead.";
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment" },
        audio: false,
      });
    } catch (error) {
      cameraMessage.textContent =
        error && error.name === "NotAllowedError"
          ? "The camera is blocked for this site. Allow it in your browser's settings, " +
            "or paste the text from the QR code instead."
          : "No camera could be started. Paste the text from the QR code instead.";
      return;
    }
    video.srcObject = stream;
    cameraBox.hidden = false;
    startButton.hidden = true;
    cameraMessage.textContent = "Point the camera at the QR code on the certificate.";
    stopButton.focus();
    try {
      await video.play();
    } catch (error) {
      // Autoplay of a muted, inline video is allowed; frames are read once it has any.
    }
    scanFrames();
  }

  function scanFrames() {
    if (!stream) return;
    const next = () => {
      frameTimer = window.setTimeout(scanFrames, FRAME_INTERVAL_MS);
    };
    if (video.readyState < video.HAVE_CURRENT_DATA || !video.videoWidth) {
      next();
      return;
    }
    readFrame()
      .then((text) => {
        if (!stream) return;
        if (text) {
          cameraStop();
          checkAndShow(text);
        } else {
          next();
        }
      })
      .catch(next);
  }

  function cameraStop() {
    window.clearTimeout(frameTimer);
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.srcObject = null;
    const hadFocus = cameraBox.contains(document.activeElement);
    cameraBox.hidden = true;
    startButton.hidden = false;
    cameraMessage.textContent = "";
    if (hadFocus) startButton.focus();
  }

  // --- Pasted text --------------------------------------------------------------------------

  const pasteForm = document.getElementById("paste-form");
  const pasteField = document.getElementById("qr-text");
  const pasteError = document.getElementById("qr-text-error");

  function pasteCheck(event) {
    event.preventDefault();
    const text = pasteField.value;
    const empty = !text.trim();
    pasteError.hidden = !empty;
    pasteField.closest(".field").classList.toggle("field--error", empty);
    if (empty) {
      // The result on screen was for the text before; with none now, it would mislead.
      resultClear();
      pasteField.setAttribute("aria-invalid", "true");
      pasteField.setAttribute("aria-describedby", "qr-text-error qr-text-hint");
      pasteField.focus();
      return;
    }
    pasteField.removeAttribute("aria-invalid");
    pasteField.setAttribute("aria-describedby", "qr-text-hint");
    checkAndShow(text);
  }

  // --- Installing -------------------------------------------------------------------------

  const installButton = document.getElementById("install");
  let installPrompt = null;

  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault();
    installPrompt = event;
    installButton.hidden = false;
  });
  installButton.addEventListener("click", () => {
    if (!installPrompt) return;
    installPrompt.prompt();
    installPrompt = null;
    installButton.hidden = true;
  });

  // --- Start --------------------------------------------------------------------------------

  document.getElementById("scanner-needs-js").hidden = true;
  root.hidden = false;
  startButton.addEventListener("click", cameraStart);
  stopButton.addEventListener("click", cameraStop);
  pasteForm.addEventListener("submit", pasteCheck);
  window.addEventListener("online", sync);
  window.addEventListener("offline", showSyncState);
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      cameraStop();
    } else if (Date.now() - lastSyncAttempt > RESYNC_AFTER_MS) {
      sync();
    }
  });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(urls.worker, { scope: urls.scope }).catch(() => {
      // Without the worker the scanner still works while this page stays open.
    });
  }
  showSyncState().then(sync);
})();
