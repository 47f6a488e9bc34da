// The lobby board in a browser: redraws from the board endpoint every two seconds.
"use strict";

(() => {
  const { ctx, t, nameIn, api, el } = seira;
  let lastCall = null;

  function clock() {
    const now = new Date();
    document.getElementById("clock").textContent = now.toLocaleString(ctx.lang === "el" ? "el-GR" : "en-GB", {
      timeZone: "Europe/Athens", weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23",
    });
  }

  async function update() {
    const result = await api("GET", `/api/v1/sites/${ctx.site}/board`);
    const live = document.getElementById("live");
    live.hidden = result.ok;
    if (!result.ok) return;
    const board = result.data;
    const [first, ...rest] = board.calls;
    const now = document.getElementById("now");
    now.replaceChildren(...(first
      ? [el("p", { class: "now-number" }, first.number), el("p", { class: "now-desk" }, "→ " + nameIn(first.desk_names))]
      : [el("p", { class: "muted" }, t("board-none"))]));
    const key = first ? first.number + ":" + first.step + ":" + first.recalls + ":" + first.called_at : null;
    if (key && lastCall !== null && key !== lastCall) {
      const section = now.parentElement;
      section.classList.remove("flash");
      void section.offsetWidth;
      section.classList.add("flash");
    }
    lastCall = key;
    document.getElementById("recent").replaceChildren(...rest.map((c) =>
      el("li", {}, el("span", { class: "n" }, c.number), " ", el("span", { class: "d" }, "→ " + nameIn(c.desk_names)))));
    document.getElementById("board-queues").replaceChildren(...board.queues.map((q) =>
      el("li", {}, el("span", { class: "prefix" }, q.prefix), nameIn(q.names), " ", el("strong", {}, String(q.waiting)))));
  }

  clock();
  setInterval(clock, 10000);
  update();
  setInterval(update, 2000);
})();
