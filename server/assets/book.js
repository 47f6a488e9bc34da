// The appointment book: a day desk by desk, the week's counts, booking, and on each
// appointment check-in, move, cancel and the citizen's printed confirmation. Times are the
// site's (Europe/Athens), whatever the browser's own zone.
"use strict";

(() => {
  const { ctx, t, nameIn, api, errorText, el, clock, requestId } = seira;
  const site = ctx.site;
  const ZONE = "Europe/Athens";
  const services = Object.fromEntries(ctx.services.map((s) => [s.id, s]));
  const bookable = ctx.services.filter((s) => s.slot_min);
  const $ = (id) => document.getElementById(id);
  const serviceName = (id) => nameIn((services[id] || {}).names) || id;
  const deskName = (id) => nameIn((ctx.desks.find((d) => d.id === id) || {}).names) || id;
  const locale = ctx.lang === "el" ? "el-GR" : "en-GB";
  const state = { day: ctx.date || ctx.today, book: [], busy: false };

  /** Athens wall-clock parts of an instant. */
  function wall(ms) {
    const parts = new Intl.DateTimeFormat("en-GB", {
      timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false,
    }).formatToParts(new Date(ms));
    const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
    return { y: +p.year, m: +p.month, d: +p.day, h: +p.hour % 24, mi: +p.minute };
  }

  /** The instant of an Athens date (YYYY-MM-DD) and time (HH:MM): the offset is found by
   *  asking what Athens reads at a first guess, and correcting by the difference (twice, for
   *  the days the clocks change). */
  function athens(date, time) {
    const [y, m, d] = date.split("-").map(Number);
    const [h, mi] = time.split(":").map(Number);
    const want = Date.UTC(y, m - 1, d, h, mi);
    let guess = want;
    for (let i = 0; i < 2; i++) {
      const w = wall(guess);
      guess += want - Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi);
    }
    return new Date(guess).toISOString().replace(".000Z", "Z");
  }

  const longDate = (day) => new Date(day + "T12:00:00Z").toLocaleDateString(locale,
    { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  const shortDate = (day) => new Date(day + "T12:00:00Z").toLocaleDateString(locale,
    { weekday: "short", day: "numeric", month: "numeric", timeZone: "UTC" });
  function addDays(day, n) {
    const date = new Date(day + "T12:00:00Z");
    date.setUTCDate(date.getUTCDate() + n);
    return date.toISOString().slice(0, 10);
  }

  function say(text, isError) {
    const box = $("message");
    box.hidden = !text;
    box.textContent = text || "";
    box.classList.toggle("error", !!isError);
  }

  async function act(method, path, body, onOk) {
    if (state.busy) return null;
    state.busy = true;
    const result = await api(method, path, body);
    state.busy = false;
    if (result.status === 401) { location.href = "/login"; return null; }
    if (result.ok) say(onOk(result.data));
    else say(errorText(result), true);
    await load();
    return result.ok ? result.data : null;
  }

  async function load() {
    const days = [...Array(7).keys()].map((i) => addDays(weekStart(state.day), i));
    const answers = await Promise.all(days.map((d) => api("GET", `/api/v1/sites/${site}/appointments?date=${d}`)));
    if (answers.some((a) => a.status === 401)) { location.href = "/login"; return; }
    const counts = {};
    days.forEach((d, i) => {
      const list = answers[i].ok ? answers[i].data : [];
      counts[d] = list.filter((a) => a.state !== "cancelled").length;
      if (d === state.day) state.book = list;
    });
    renderWeek(days, counts);
    renderDay();
  }

  /** Monday of the day's week. */
  function weekStart(day) {
    const weekday = (new Date(day + "T12:00:00Z").getUTCDay() + 6) % 7;
    return addDays(day, -weekday);
  }

  function go(day) {
    state.day = day;
    $("day").value = day;
    if (!$("new-date").dataset.touched) $("new-date").value = day;
    const url = new URL(location.href);
    url.searchParams.set("date", day);
    history.replaceState(null, "", url);
    load();
  }

  function renderWeek(days, counts) {
    $("week").replaceChildren(...days.map((d) => el("li", {},
      el("button", {
        type: "button", class: "small-button" + (d === state.day ? " selected" : ""),
        "aria-current": d === state.day ? "date" : null, onclick: () => go(d),
      }, shortDate(d), " · ", t("book-count", { count: counts[d] })))));
  }

  function renderDay() {
    $("day-heading").textContent = longDate(state.day);
    const list = state.book;
    if (list.length === 0) {
      $("book").replaceChildren(el("p", { class: "muted", id: "book-none" }, t("book-none")));
      return;
    }
    // Desk by desk, each by time.
    const byDesk = {};
    for (const a of list) (byDesk[a.held_desk] = byDesk[a.held_desk] || []).push(a);
    const order = ctx.desks.map((d) => d.id).filter((id) => byDesk[id]);
    $("book").replaceChildren(...order.map((desk) => el("div", { class: "book-desk" },
      el("h3", {}, deskName(desk), " ",
        el("a", {
          class: "small", download: `${desk}.ics`,
          href: `/api/v1/sites/${site}/appointments.ics?date=${weekStart(state.day)}&days=7&desk=${desk}&lang=${ctx.lang}`,
        }, t("book-ics"))),
      el("table", { class: "book-table", "data-desk": desk },
        el("thead", {}, el("tr", {},
          el("th", { scope: "col" }, t("col-time")),
          el("th", { scope: "col" }, t("col-minutes")),
          el("th", { scope: "col" }, t("col-service")),
          el("th", { scope: "col" }, t("col-state")),
          el("th", { scope: "col" }, t("col-code")),
          el("th", { scope: "col" }, el("span", { class: "visually-hidden" }, t("col-action"))))),
        el("tbody", {}, byDesk[desk].map(row))))));
  }

  function appointmentState(a) {
    if (a.state === "booked" && Date.now() > Date.parse(a.start)) return "late";
    return a.state;
  }

  function row(a) {
    const st = appointmentState(a);
    const open = a.state === "booked";
    const moveTime = el("input", {
      type: "time", step: "300", value: clock(a.start), "aria-label": t("book-move-to") + " " + clock(a.start),
    });
    const actions = [];
    if (ctx.books && (open || a.state === "no_show")) {
      actions.push(el("button", { type: "button", class: "small-button go", onclick: () => checkIn(a) }, t("action-check-in")));
    }
    if (open) {
      // Less frequent changes fold away, so that a day's rows stay one line each.
      actions.push(" ", el("details", { class: "row-more" },
        el("summary", {}, t("book-more")),
        el("div", { class: "controls" },
          ctx.books ? [moveTime,
            el("button", { type: "button", class: "small-button", onclick: () => move(a, moveTime.value) }, t("book-move")),
            el("button", { type: "button", class: "small-button stop", onclick: () => cancel(a) }, t("book-cancel"))] : null,
          el("button", { type: "button", class: "small-button", onclick: () => printConfirmation(a) }, t("book-print")))));
    }
    return el("tr", { "data-code": a.code, class: st === "late" ? "overdue" : null },
      el("td", { class: "num" }, clock(a.start)),
      el("td", {}, String(a.minutes)),
      el("td", { class: "service-cell", title: serviceName(a.service) },
        el("span", { class: "prefix" }, (services[a.service] || {}).prefix || ""), serviceName(a.service),
        a.note ? el("div", { class: "note small" }, t("note-label") + ": " + a.note) : null),
      el("td", {}, el("span", { class: "badge appt-" + st }, t("appt-state-" + st)),
        a.ticket_number ? " " + a.ticket_number : ""),
      el("td", { class: "num code" }, a.code),
      el("td", { class: "book-actions" }, actions));
  }

  const checkIn = (a) => act("POST", `/api/v1/sites/${site}/appointments/${a.code}/check-in`,
    { request_id: requestId("book") },
    (ticket) => ticket.appointment_at
      ? t("ok-checked-in", { number: ticket.number, time: clock(ticket.appointment_at) })
      : t("ok-checked-in-late", { number: ticket.number }));
  const move = (a, time) => act("PATCH", `/api/v1/appointments/${a.id}`, { start: athens(state.day, time) },
    (moved) => t("book-moved", { date: longDate(state.day), time: clock(moved.start) }));
  const cancel = (a) => act("DELETE", `/api/v1/appointments/${a.id}`, undefined,
    () => t("book-cancelled", { time: clock(a.start) }));

  /** The citizen's paper: when, where, the code large, how to check in. Printed alone. */
  function printConfirmation(a) {
    const day = new Date(a.start).toLocaleDateString(locale,
      { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: ZONE });
    $("confirmation").replaceChildren(
      el("h1", {}, nameIn(ctx.site_names)),
      el("h2", {}, t("confirm-title")),
      el("dl", {},
        el("dt", {}, t("confirm-when")), el("dd", {}, day + ", " + clock(a.start) + " (" + a.minutes + "′)"),
        el("dt", {}, t("book-service")), el("dd", {}, serviceName(a.service)),
        el("dt", {}, t("confirm-where")), el("dd", {}, ctx.address + " · " + deskName(a.held_desk)),
        el("dt", {}, t("confirm-code")), el("dd", { class: "confirm-code" }, a.code.slice(0, 3) + " " + a.code.slice(3))),
      el("p", {}, t("confirm-code-help", { minutes: ctx.check_in_early_min })),
      el("p", { class: "muted" }, t("confirm-free")));
    window.print();
  }

  function fillForm() {
    const service = $("new-service");
    service.replaceChildren(...bookable.map((s) => el("option", { value: s.id }, s.prefix + " · " + nameIn(s.names))));
    const desk = $("new-desk");
    const fillDesks = () => {
      desk.replaceChildren(el("option", { value: "" }, t("book-any-desk")),
        ...ctx.desks.filter((d) => d.services.includes(service.value))
          .map((d) => el("option", { value: d.id }, nameIn(d.names))));
      const s = services[service.value];
      if (s) $("new-minutes").value = s.slot_min;
    };
    service.addEventListener("change", fillDesks);
    fillDesks();
    $("new-date").value = state.day;
    $("new-date").addEventListener("change", (e) => { e.target.dataset.touched = "1"; });
    $("new-time").value = "09:00";
    $("new-section").hidden = !ctx.books || bookable.length === 0;
    $("new-form").addEventListener("submit", async (e) => {
      e.preventDefault();
      const date = $("new-date").value;
      const body = {
        service: service.value,
        desk: desk.value || null,
        start: athens(date, $("new-time").value),
        minutes: Number($("new-minutes").value),
        request_id: requestId("book"),
        contact: $("new-contact").value.trim() || null,
        note: $("new-note").value.trim() || null,
      };
      const booked = await act("POST", `/api/v1/sites/${site}/appointments`, body, (a) =>
        t("book-booked", { service: serviceName(a.service), date: longDate(date), time: clock(a.start), code: a.code }));
      if (booked) {
        $("new-contact").value = "";
        $("new-note").value = "";
        if (date !== state.day) go(date);
      }
    });
  }

  /** Bookings made elsewhere, from a CSV file: checked first (a dry run lists each bad line),
   *  then imported. */
  async function importFile(dryRun) {
    const file = $("import-file").files[0];
    if (!file) { say(t("import-no-file"), true); return; }
    const csv = await file.text();
    const result = await api("POST", `/api/v1/sites/${site}/appointments/import`, { csv, dry_run: dryRun });
    const box = $("import-report");
    if (!result.ok) { box.replaceChildren(el("p", { class: "alert error" }, errorText(result))); return; }
    const r = result.data;
    box.replaceChildren(
      el("p", {}, t(dryRun ? "import-checked" : "import-done",
        { good: r.appointments.length, bad: r.errors.length })),
      r.errors.length ? el("ul", { id: "import-errors" }, r.errors.map((e) =>
        el("li", {}, t("import-line", { line: e.line }) + ": " + e.message))) : null);
    if (!dryRun) load();
  }
  $("import-check").addEventListener("click", () => importFile(true));
  $("import-run").addEventListener("click", () => importFile(false));

  $("day").value = state.day;
  $("day").addEventListener("change", (e) => { if (e.target.value) go(e.target.value); });
  $("day-previous").addEventListener("click", () => go(addDays(state.day, -1)));
  $("day-next").addEventListener("click", () => go(addDays(state.day, 1)));
  $("day-today").addEventListener("click", () => go(ctx.today));
  fillForm();
  load();
  // The states (checked in, served, no-show) change all day: look again each half minute.
  setInterval(() => { if (!state.busy) load(); }, 30000);
})();
