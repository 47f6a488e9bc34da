// The statistics page: the print button (the printed page is the monthly report), and
// "today, now" refreshed from /api/v1/stats/live every 30 s.
"use strict";
(() => {
  document.getElementById("print")?.addEventListener("click", () => window.print());
  const section = document.getElementById("live-today");
  const ctx = JSON.parse(document.getElementById("ctx")?.textContent || "{}");
  if (!section || !ctx.now) return;
  const fill = (text, values) =>
    Object.entries(values).reduce((t, [k, v]) => t.replaceAll(`{$${k}}`, String(v)), text);
  const names = (n) => n[ctx.lang] || n.el || "";
  async function refresh() {
    let live;
    try {
      const answer = await fetch(`/api/v1/stats/live?site=${encodeURIComponent(section.dataset.site)}`);
      if (!answer.ok) return;
      live = await answer.json();
    } catch {
      return; // The server is away: keep what is shown, try again later.
    }
    const at = new Date(live.at).toLocaleTimeString("el-GR", {
      hour: "2-digit", minute: "2-digit", timeZone: "Europe/Athens", hour12: false,
    });
    document.getElementById("live-heading").textContent = fill(ctx.now, { at });
    document.getElementById("live-desks").textContent = fill(ctx.desks, {
      open: live.desks_open, paused: live.desks_paused, serving: live.desks_serving,
    });
    const rows = document.getElementById("live-rows");
    rows.replaceChildren(...live.queues.map((q) => {
      const tr = document.createElement("tr");
      const cells = [names(q.names), q.waiting, fill(ctx.minutes, { value: Math.round(q.longest_wait_s / 60) })];
      cells.forEach((value, i) => {
        const td = document.createElement("td");
        if (i > 0) td.className = "num";
        td.textContent = value;
        tr.append(td);
      });
      return tr;
    }));
    document.getElementById("live-table").hidden = live.queues.length === 0;
    document.getElementById("live-nobody").hidden = live.queues.length !== 0;
  }
  setInterval(refresh, 30000);
  // Back on the tab after a while: fresh figures at once.
  document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });
})();
