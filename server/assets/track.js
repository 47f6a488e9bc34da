// The ticket holder's phone page: asks where the visit is every few seconds, alerts near the
// turn (sound, vibration, the tab's title), takes a number for a text message, and asks for
// a rating once the visit is done. Everything it draws is also drawn by the server first.
"use strict";

(() => {
  const { ctx, t, nameIn, api, clock } = seira;
  const $ = (id) => document.getElementById(id);
  const baseTitle = document.title;
  let last = null;
  let audio = null;
  // Web Push: where the page is served over HTTPS (or from this machine) and the browser has
  // it. The subscription goes to the server only after the citizen allowed notifications.
  const canPush = window.isSecureContext && "serviceWorker" in navigator
    && "PushManager" in window && "Notification" in window;

  function line(cls, text) {
    const p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    return p;
  }

  function waitLine(v) {
    if (v.wait_range_s) {
      const [low, high] = v.wait_range_s;
      return line("", t("track-wait-range", { low: Math.floor(low / 60), high: Math.ceil(high / 60) }));
    }
    const minutes = Math.ceil(v.estimated_wait_s / 60);
    return minutes > 0 ? line("", t("track-wait", { minutes })) : null;
  }

  function statusLines(v) {
    const desk = nameIn(v.desk_names);
    const near = v.near_turn ? line("alert near", t("track-near")) : null;
    if (v.state === "waiting") {
      if (v.appointment_at) return [line("big", t("track-appointment", { time: clock(v.appointment_at) })), near];
      if (v.position === 0) return [line("big", t("track-next")), near];
      return [line("big", t("track-position", { position: v.position })), waitLine(v), near];
    }
    return {
      called: [line("big called", t("track-called", { desk }))],
      serving: [line("big", t("track-serving", { desk }))],
      parked: [line("big", t("track-parked"))],
      done: [line("big", t("track-done"))],
      no_show: [line("big missed", t("track-missed"))],
    }[v.state] || [line("big", t("track-ended"))];
  }

  /** A short two-tone chime made here: nothing to download on a weak connection. */
  function chime() {
    if (!audio) return;
    const now = audio.currentTime;
    for (const [i, freq] of [[0, 880], [1, 660]]) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now + i * 0.35);
      gain.gain.exponentialRampToValueAtTime(0.4, now + i * 0.35 + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.35 + 0.3);
      osc.connect(gain).connect(audio.destination);
      osc.start(now + i * 0.35);
      osc.stop(now + i * 0.35 + 0.32);
    }
  }

  function alertNow() {
    chime();
    if (navigator.vibrate) navigator.vibrate([300, 200, 300]);
  }

  function draw(v) {
    $("status").replaceChildren(...statusLines(v).filter(Boolean));
    $("service").textContent = nameIn(v.service_names);
    const waiting = v.state === "waiting";
    $("alerts").hidden = !waiting;
    $("missed-help").hidden = !waiting;
    $("text-form").hidden = !(v.text_offered && !v.text_requested);
    $("text-saved").hidden = !(v.text_offered && v.text_requested);
    $("push").hidden = !(canPush && waiting && !v.push_requested);
    $("push-on").hidden = !(waiting && v.push_requested);
    if (!$("thanks").hidden) $("feedback").hidden = true;
    else $("feedback").hidden = !v.can_rate;
    const called = v.state === "called";
    document.title = called ? `${t("track-called-title")} · ${v.number}`
      : v.near_turn ? `${t("track-near-title")} · ${v.number}` : baseTitle;
    // Once per change: becoming near, then being called.
    if (last && ((v.near_turn && !last.near_turn) || (called && last.state !== "called"))) alertNow();
    last = v;
  }

  async function update() {
    const result = await api("GET", `/api/v1/tickets/${ctx.ticket}/track`);
    $("offline").hidden = result.status !== 0;
    if (!result.ok) return;
    draw(result.data);
  }

  $("sound").addEventListener("click", () => {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (Context && !audio) audio = new Context();
    if (audio && audio.state === "suspended") audio.resume();
    alertNow();
    $("sound").hidden = true;
    $("sound-on").hidden = false;
  });


  function keyBytes(base64url) {
    const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    const raw = atob(base64 + "=".repeat((4 - base64.length % 4) % 4));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  }

  $("push").addEventListener("click", async () => {
    const message = $("text-message");
    try {
      if (await Notification.requestPermission() !== "granted") {
        message.textContent = t("alert-push-denied");
        return;
      }
      const key = await api("GET", "/api/v1/push/key");
      if (!key.ok) throw new Error("no key");
      const registration = await navigator.serviceWorker.register("/assets/sw.js", { scope: "/t/" });
      await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: keyBytes(key.data.key) });
      const result = await api("PUT", `/api/v1/tickets/${ctx.ticket}/push`, subscription.toJSON());
      message.textContent = result.ok ? "" : t("error-other");
      update();
    } catch (_) {
      message.textContent = t("error-other");
    }
  });

  $("text-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const message = $("text-message");
    const result = await api("PUT", `/api/v1/tickets/${ctx.ticket}/text-alert`, { phone: $("phone").value });
    if (result.ok) {
      $("phone").value = "";
      message.textContent = "";
      update();
    } else {
      message.textContent = result.status === 422 ? t("alert-text-bad")
        : result.status === 0 ? t("error-network") : t("error-other");
    }
  });

  $("text-remove").addEventListener("click", async () => {
    const result = await api("DELETE", `/api/v1/tickets/${ctx.ticket}/text-alert`);
    $("text-message").textContent = result.ok ? t("alert-text-removed") : t("error-network");
    update();
  });

  for (const button of document.querySelectorAll("#feedback .score")) {
    button.addEventListener("click", async () => {
      const score = Number(button.dataset.score);
      const result = await api("POST", `/api/v1/tickets/${ctx.ticket}/feedback`, { score });
      // A second rating (409) is thanked the same: the first one counts.
      if (result.ok || result.status === 409) {
        $("feedback").hidden = true;
        $("thanks").hidden = false;
      }
    });
  }

  update();
  setInterval(update, 5000);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) update(); });
})();
