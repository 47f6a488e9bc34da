// Shared by the pages' scripts: the page context, translations, the API, the live stream.
"use strict";

const seira = (() => {
  const ctx = JSON.parse(document.getElementById("ctx").textContent);

  /** A translated message, with `{$name}` placeholders filled from `args`. */
  function t(key, args = {}) {
    let text = ctx.messages[key] ?? key;
    for (const [name, value] of Object.entries(args)) {
      text = text.split("{$" + name + "}").join(String(value));
    }
    return text;
  }

  /** A name in the page's language, else English, else Greek (the rule of `InLang`). */
  function nameIn(names) {
    return (names && (names[ctx.lang] || names.en || names.el)) || "";
  }

  /** Calls the API; answers { ok, status, data }. Never throws: a network failure is status 0. */
  async function api(method, path, body) {
    const init = { method, credentials: "same-origin", headers: {} };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    try {
      const response = await fetch(path, init);
      const text = await response.text();
      let data = null;
      try { data = text ? JSON.parse(text) : null; } catch (_) { data = null; }
      return { ok: response.ok, status: response.status, data };
    } catch (_) {
      return { ok: false, status: 0, data: null };
    }
  }

  /** The text for an API error, in the page's language. */
  function errorText(result) {
    if (result.status === 0) return t("error-network");
    const data = result.data || {};
    const code = data.error;
    const key = "error-" + code;
    // The server's own words in Greek, where it has them.
    const message = (ctx.lang === "el" && data.message_el) || data.message || "";
    if (code && ctx.messages[key]) return t(key, { message });
    return t("error-other", { message: message || result.status });
  }

  /** Minutes and seconds since an RFC 3339 time. */
  function since(time) {
    const s = Math.max(0, Math.floor((Date.now() - Date.parse(time)) / 1000));
    const m = Math.floor(s / 60);
    return m + ":" + String(s % 60).padStart(2, "0");
  }

  /** Creates an element with attributes and children (strings become text, never HTML). */
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === false || v === null || v === undefined) continue;
      if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (v === true) node.setAttribute(k, "");
      else node.setAttribute(k, v);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** The time of day of an RFC 3339 time in the centres' zone (Athens), as 09:30, whatever
   *  the browser's own zone. */
  function clock(time) {
    return new Date(time).toLocaleTimeString(ctx.lang === "el" ? "el-GR" : "en-GB",
      { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "Europe/Athens" });
  }

  /** A new request id (the API's idempotency key): one per click, `prefix` saying where. */
  function requestId(prefix) {
    return prefix + "-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
  }

  /** Shows whether the live connection is up. */
  function setLive(on) {
    const live = document.getElementById("live");
    if (!live) return;
    live.textContent = t(on ? "live-online" : "live-offline");
    live.classList.toggle("on", on);
  }

  return { ctx, t, nameIn, api, errorText, since, el, setLive, clock, requestId };
})();
