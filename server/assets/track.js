// The ticket holder's phone page: asks where the visit is every few seconds.
"use strict";

(() => {
  const { ctx, t, nameIn, api, clock } = seira;
  let lastState = null;

  function line(cls, text) {
    const p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    return p;
  }

  async function update() {
    const result = await api("GET", `/api/v1/tickets/${ctx.ticket}/track`);
    if (!result.ok) return;
    const v = result.data;
    const desk = nameIn(v.desk_names);
    const box = document.getElementById("status");
    const minutes = Math.ceil(v.estimated_wait_s / 60);
    const appointment = v.appointment_at && clock(v.appointment_at);
    const lines = {
      waiting: appointment ? [line("big", t("track-appointment", { time: appointment }))]
        : v.position === 0
        ? [line("big", t("track-next"))]
        : [line("big", t("track-position", { position: v.position })),
          minutes > 0 ? line("", t("track-wait", { minutes })) : null].filter(Boolean),
      called: [line("big called", t("track-called", { desk }))],
      serving: [line("big", t("track-serving", { desk }))],
      parked: [line("big", t("track-parked"))],
      done: [line("big", t("track-done"))],
    }[v.state] || [line("big", t("track-ended"))];
    box.replaceChildren(...lines);
    document.getElementById("service").textContent = nameIn(v.service_names);
    if (v.state === "called" && lastState !== "called" && navigator.vibrate) navigator.vibrate([300, 200, 300]);
    lastState = v.state;
  }

  update();
  setInterval(update, 5000);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) update(); });
})();
