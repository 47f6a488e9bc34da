// The staff desk page: one desk's ticket in hand, who comes next in the order the desk would
// call them, and the site's queues, live. Every one-click mistake says what happened and,
// where the server allows it, offers its undo.
"use strict";

(() => {
  const { ctx, t, nameIn, api, errorText, since, el, setLive, clock, requestId } = seira;
  const site = ctx.site;
  const services = Object.fromEntries(ctx.services.map((s) => [s.id, s]));
  const state = {
    deskId: null, desks: [], queue: null, waiting: [], parked: [], devices: [], counts: {},
    appointments: [], busy: false,
  };

  const stored = localStorage.getItem("seira.desk");
  state.deskId = ctx.desks.some((d) => d.id === stored) ? stored : (ctx.desks[0] && ctx.desks[0].id);

  const $ = (id) => document.getElementById(id);
  const priorityName = (id) => nameIn(ctx.priorities[id]) || id;
  const serviceName = (id) => nameIn((services[id] || {}).names) || id;
  const myDesk = () => state.desks.find((d) => d.id === state.deskId);

  /** Says what happened; `undo` (label and action) adds a button that takes it back. */
  function say(text, isError, undo) {
    const box = $("message");
    box.hidden = !text;
    box.replaceChildren();
    if (!text) return;
    box.append(el("span", { id: "message-text" }, text));
    if (undo) {
      box.append(" ", el("button", { type: "button", id: "undo", class: "small-button", onclick: undo.run }, undo.label));
    }
    box.classList.toggle("error", !!isError);
  }

  async function refresh() {
    const requests = [
      api("GET", `/api/v1/sites/${site}/desks`),
      api("GET", `/api/v1/sites/${site}/tickets?state=parked`),
      api("GET", `/api/v1/sites/${site}/devices`),
      api("GET", `/api/v1/sites/${site}/services`),
      state.deskId
        ? api("GET", `/api/v1/desks/${state.deskId}/queue`)
        : api("GET", `/api/v1/sites/${site}/tickets?state=waiting`),
      ctx.appointments ? api("GET", `/api/v1/sites/${site}/appointments`) : Promise.resolve({ ok: false }),
    ];
    const [desks, parked, devices, servicesNow, waiting, appointments] = await Promise.all(requests);
    if (appointments.ok) state.appointments = appointments.data;
    if ([desks, parked, waiting].some((r) => r.status === 401)) {
      location.href = "/login";
      return;
    }
    if (devices.ok) state.devices = devices.data;
    if (desks.ok) state.desks = desks.data;
    if (parked.ok) state.parked = parked.data;
    if (servicesNow.ok) state.counts = Object.fromEntries(servicesNow.data.services.map((s) => [s.id, s.waiting]));
    if (waiting.ok) {
      if (state.deskId) {
        state.queue = waiting.data;
        state.waiting = waiting.data.entries;
      } else {
        state.queue = null;
        state.waiting = waiting.data.map((ticket) => ({ ticket, overdue: false, only_this_desk: false, note: null }));
      }
    }
    render();
  }

  /** Runs one action; the page updates from the answer and the event stream. */
  async function act(method, path, body, onOk) {
    if (state.busy) return;
    state.busy = true;
    render();
    const result = await api(method, path, body);
    state.busy = false;
    if (result.status === 401) { location.href = "/login"; return; }
    if (result.status === 204) say(t("nothing-waiting"));
    else if (result.ok) {
      const said = onOk ? onOk(result.data) : null;
      if (Array.isArray(said)) say(said[0], false, said[1]);
      else say(said || "");
    } else say(errorText(result), true);
    await refresh();
  }

  const deskAction = (verb, body, onOk) => act("POST", `/api/v1/desks/${state.deskId}/${verb}`, body, onOk);
  const ticketAction = (id, verb, body, onOk) => act("POST", `/api/v1/tickets/${id}/${verb}`, body, onOk);
  const calledSay = (ticket) => t("ok-called", { number: ticket.number });
  const callNext = () => deskAction("call-next", undefined, calledSay);
  const doneAndNext = (number) => deskAction("done-and-next", undefined,
    (ticket) => t("ok-done-and-called", { done: number, number: ticket.number }));
  const noShow = (ticket) => ticketAction(ticket.id, "no-show", undefined, (tk) => [
    t("ok-no-show", { number: tk.number, minutes: ctx.undo_window_min }),
    { label: t("action-undo"), run: () => ticketAction(tk.id, "undo-no-show", undefined,
      (back) => t(back.state === "called" ? "ok-undone-to-desk" : "ok-undone-to-queue", { number: back.number })) },
  ]);

  function button(label, cls, enabled, onclick, key) {
    return el("button", {
      type: "button", class: cls, disabled: !enabled || state.busy, onclick,
      "aria-keyshortcuts": key || null,
    }, label);
  }

  function renderControls(desk) {
    const box = $("desk-controls");
    box.replaceChildren();
    if (!ctx.acts || ctx.desks.length === 0) {
      $("desk-panel").hidden = true;
      return;
    }
    const select = el("select", { id: "desk-select", onchange: (e) => {
      state.deskId = e.target.value;
      localStorage.setItem("seira.desk", state.deskId);
      say("");
      refresh();
    } }, ctx.desks.map((d) => el("option", { value: d.id, selected: d.id === state.deskId }, nameIn(d.names))));
    const reason = el("input", { id: "pause-reason", maxlength: "200", placeholder: t("desk-pause-reason-placeholder") });
    const deskState = desk ? desk.state : "closed";
    box.append(el("div", { class: "controls" },
      el("div", {}, el("label", { for: "desk-select" }, t("desk-choose")), select),
      el("p", { id: "desk-state" }, t("desk-state") + ": ",
        el("span", { class: "badge " + deskState }, t("desk-state-" + deskState)),
        desk && desk.pause_reason ? " (" + desk.pause_reason + ")" : ""),
    ), el("div", { class: "controls" },
      button(t("desk-open"), "go", deskState !== "open", () => deskAction("open")),
      el("div", {}, el("label", { for: "pause-reason" }, t("desk-pause-reason")), reason),
      button(t("desk-pause"), "", deskState !== "closed", () => deskAction("pause", { reason: reason.value })),
      button(t("desk-close"), "stop", deskState !== "closed" && !(desk && desk.ticket), () => deskAction("close")),
    ));
  }

  function renderInHand(desk) {
    const box = $("in-hand");
    box.replaceChildren();
    const ticket = desk && desk.ticket;
    if (!ticket) {
      box.append(el("p", { class: "muted", id: "in-hand-none" }, t("in-hand-none")));
      return;
    }
    const since_ = ticket.state === "serving" ? ticket.started_at : ticket.called_at;
    box.append(el("div", { class: "ticket", id: "ticket" },
      el("span", { class: "num", id: "ticket-number" }, ticket.number),
      el("div", {},
        el("div", {}, serviceName(ticket.service)),
        el("div", { id: "ticket-state" }, el("strong", {}, t("state-" + ticket.state))),
        ticket.priority ? el("div", {}, t("priority-label") + ": " + priorityName(ticket.priority)) : null,
        ticket.recalls ? el("div", {}, t("recalls-label", { count: ticket.recalls })) : null,
        desk.note ? el("div", { class: "note", id: "ticket-note" }, t("note-label") + ": " + desk.note) : null,
      ),
      el("span", { class: "timer", id: "timer", "data-since": since_, "aria-hidden": "true" }, since(since_)),
    ));
  }

  function transferForm(ticket) {
    const to = el("select", { id: "transfer-to" },
      ctx.services.filter((s) => !ticket || s.id !== ticket.service)
        .map((s) => el("option", { value: s.id }, s.prefix + " · " + nameIn(s.names))));
    const desk = el("select", { id: "transfer-desk" });
    const fillDesks = () => desk.replaceChildren(
      el("option", { value: "" }, t("transfer-any-desk")),
      ...ctx.all_desks.filter((d) => d.services.includes(to.value))
        .map((d) => el("option", { value: d.id }, nameIn(d.names))));
    to.addEventListener("change", fillDesks);
    fillDesks();
    const place = el("select", { id: "transfer-place" },
      ["keep", "front", "back"].map((p) => el("option", { value: p }, t("transfer-place-" + p))));
    const note = el("input", { id: "transfer-note", maxlength: "200", placeholder: t("transfer-note-placeholder") });
    const enabled = ticket && (ticket.state === "called" || ticket.state === "serving");
    const send = () => ticketAction(ticket.id, "transfer", {
      service: to.value, desk: desk.value || null, place: place.value, note: note.value || null,
    }, (step) => t("ok-transferred", {
      number: step.number, service: serviceName(step.service), place: t("transfer-place-" + place.value),
    }));
    return el("div", { class: "wide transfer" },
      el("div", { class: "controls" },
        el("div", {}, el("label", { for: "transfer-to" }, t("transfer-to")), to),
        button(t("action-transfer"), "", enabled, send)),
      el("details", { id: "transfer-more" },
        el("summary", {}, t("transfer-more")),
        el("div", { class: "controls" },
          el("div", {}, el("label", { for: "transfer-desk" }, t("transfer-desk")), desk),
          el("div", {}, el("label", { for: "transfer-place" }, t("transfer-place")), place),
          el("div", { class: "grow" }, el("label", { for: "transfer-note" }, t("transfer-note")), note))),
    );
  }

  function renderActions(desk) {
    const box = $("actions");
    box.replaceChildren();
    if (!desk) return;
    const ticket = desk.ticket;
    const st = ticket ? ticket.state : null;
    const open = desk.state === "open";
    const id = ticket && ticket.id;
    // The main button: call when the desk is free, finish and call when serving.
    const main = st === "serving"
      ? button(t("action-done-and-next"), "primary big wide", open, () => doneAndNext(ticket.number), "N")
      : button(t("action-call-next"), "primary big wide", open && !ticket, callNext, "N");
    main.id = "main-action";
    box.append(
      main,
      button(t("action-start"), "go", st === "called", () => ticketAction(id, "start"), "S"),
      button(t("action-recall"), "", st === "called", () => ticketAction(id, "recall"), "R"),
      button(t("action-no-show"), "stop", st === "called", () => noShow(ticket), "X"),
      button(t("action-done"), "go", st === "serving",
        () => ticketAction(id, "done", undefined, (tk) => t("ok-done", { number: tk.number })), "D"),
      button(t("action-park"), "", st === "called" || st === "serving",
        () => ticketAction(id, "park", undefined, (tk) => t("ok-parked", { number: tk.number }))),
      transferForm(ticket),
    );
  }

  /** When phones have taken numbers: take the last quarter hour's out at once (a flood from
   *  the join page), with its undo. */
  function phoneFlood() {
    const phones = state.waiting.filter((e) => e.ticket.channel === "phone").length;
    if (!ctx.acts || phones === 0) return "";
    return el("p", { class: "muted small", id: "phone-flood" }, t("phone-waiting", { count: phones }), " ",
      button(t("action-remove-phone-tickets"), "small-button", true,
        () => act("POST", `/api/v1/sites/${site}/phone-tickets/remove`, { minutes: 15 }, (batch) => [
          t("ok-phone-removed", { count: batch.numbers.length, minutes: ctx.undo_window_min }),
          { label: t("action-undo"), run: () => act("POST", `/api/v1/sites/${site}/phone-tickets/restore`,
            { batch: batch.batch }, (back) => t("ok-phone-restored", { count: back.numbers.length })) },
        ])));
  }

  /** What marks a waiting row: sent to this desk, taken on a phone, an appointment's time. */
  function rowTags(entry) {
    const tags = [
      entry.only_this_desk ? el("span", { class: "tag" }, t("only-this-desk")) : null,
      entry.ticket.channel === "phone" ? el("span", { class: "tag" }, t("from-phone")) : null,
      entry.appointment_at ? el("span", { class: "tag" }, t("appointment-tag", { time: clock(entry.appointment_at) })) : null,
    ].filter(Boolean);
    return tags.length ? el("div", { class: "tags" }, tags) : null;
  }

  function waitingTable(entries, canCall) {
    if (entries.length === 0) return el("p", { class: "muted", id: "waiting-none" }, t("waiting-none"));
    const mine = state.deskId ? (ctx.desks.find((d) => d.id === state.deskId) || { services: [] }).services : [];
    const ordered = !!state.queue;
    return el("table", { class: "waiting-list", id: "waiting-table" },
      el("colgroup", {}, ["order", "number", "service", "priority", "waited", "action"]
        .map((c) => el("col", { class: "col-" + c }))),
      el("thead", {}, el("tr", {},
        el("th", { scope: "col" }, t("col-order")),
        el("th", { scope: "col" }, t("col-number")),
        el("th", { scope: "col" }, t("col-service")),
        el("th", { scope: "col" }, t("col-priority")),
        el("th", { scope: "col" }, t("col-waited")),
        el("th", { scope: "col" }, el("span", { class: "visually-hidden" }, t("col-action"))))),
      el("tbody", {}, entries.map((entry, i) => {
        const tk = entry.ticket;
        const next = ordered && i === 0;
        return el("tr", { class: [next ? "next" : "", entry.overdue ? "overdue" : ""].join(" ").trim() || null, "data-number": tk.number },
          el("td", {}, next ? el("strong", { class: "next-mark" }, t("next-mark")) : String(i + 1)),
          el("td", { class: "num" }, tk.number),
          el("td", { class: "service-cell", title: serviceName(tk.service) },
            // The tags on their own line, before the name: a long name is cut, they never are.
            rowTags(entry),
            el("div", { class: "service-name" },
              el("span", { class: "prefix" }, (services[tk.service] || {}).prefix || ""), serviceName(tk.service)),
            entry.note ? el("div", { class: "note small" }, t("note-label") + ": " + entry.note) : null),
          el("td", {}, tk.priority ? "★ " + priorityName(tk.priority) : ""),
          el("td", { class: "timer-cell" },
            el("span", { "data-since": tk.issued_at }, since(tk.issued_at)),
            entry.overdue ? el("span", { class: "tag warn" }, t("overdue")) : null),
          el("td", {}, ctx.acts && mine.includes(tk.service)
            ? button(t("action-call-this"), "small-button", canCall,
              () => deskAction("call", { ticket: tk.id }, calledSay))
            : ""),
        );
      })));
  }


  /** Where an appointment is, as staff read it: booked, late (its time has come, nobody
   *  checked in yet), checked in (late), served, no-show, cancelled. */
  function appointmentState(a) {
    const start = Date.parse(a.start);
    if (a.state === "booked" && Date.now() > start) return "late";
    if (a.state === "checked_in" && a.checked_in_at
      && Date.parse(a.checked_in_at) > start + ctx.check_in_late_min * 60000) return "checked_in_late";
    return a.state;
  }

  const checkIn = (code) => act("POST", `/api/v1/sites/${site}/appointments/${encodeURIComponent(code)}/check-in`,
    { request_id: requestId("desk") },
    (ticket) => ticket.appointment_at
      ? t("ok-checked-in", { number: ticket.number, time: clock(ticket.appointment_at) })
      : t("ok-checked-in-late", { number: ticket.number }));

  function renderAppointments() {
    const section = $("appointments-section");
    section.hidden = !ctx.appointments;
    if (!ctx.appointments) return;
    $("check-in-form").hidden = !ctx.acts;
    const desk = ctx.desks.find((d) => d.id === state.deskId);
    const mine = state.appointments.filter((a) => !desk
      || a.held_desk === desk.id || (!a.desk && desk.services.includes(a.service)));
    const deskName = (id) => nameIn((ctx.all_desks.find((d) => d.id === id) || {}).names) || id;
    $("appointments").replaceChildren(mine.length === 0
      ? el("p", { class: "muted", id: "appointments-none" }, t("appointments-none"))
      : el("table", { class: "waiting-list", id: "appointments-table" },
        el("thead", {}, el("tr", {},
          el("th", { scope: "col" }, t("col-time")),
          el("th", { scope: "col" }, t("col-service")),
          el("th", { scope: "col" }, t("col-desk")),
          el("th", { scope: "col" }, t("col-state")),
          el("th", { scope: "col" }, t("col-number")),
          el("th", { scope: "col" }, el("span", { class: "visually-hidden" }, t("col-action"))))),
        el("tbody", {}, mine.map((a) => {
          const st = appointmentState(a);
          return el("tr", { "data-code": a.code, class: st === "late" ? "overdue" : null },
            el("td", { class: "num" }, clock(a.start)),
            el("td", { class: "service-cell", title: serviceName(a.service) },
              el("span", { class: "prefix" }, (services[a.service] || {}).prefix || ""), serviceName(a.service),
              a.note ? el("div", { class: "note small" }, t("note-label") + ": " + a.note) : null),
            el("td", {}, deskName(a.held_desk)),
            el("td", {}, el("span", { class: "badge appt-" + st }, t("appt-state-" + st))),
            el("td", { class: "num" }, a.ticket_number || ""),
            el("td", {}, ctx.acts && (a.state === "booked" || a.state === "no_show")
              ? button(t("action-check-in"), "small-button", true, () => checkIn(a.code))
              : ""));
        }))));
  }

  function renderLists(desk) {
    renderAppointments();
    const canCall = ctx.acts && desk && desk.state === "open" && !desk.ticket;
    $("waiting").replaceChildren(phoneFlood(), waitingTable(state.waiting, canCall));
    const others = state.queue ? state.queue.others : [];
    $("others").replaceChildren(others.length === 0 ? "" : el("details", { id: "others-box" },
      el("summary", {}, t("others-title", { count: others.reduce((n, o) => n + o.waiting, 0) })),
      el("ul", { class: "queues" }, others.map((o) => el("li", {},
        el("span", { class: "prefix" }, (services[o.service] || {}).prefix || ""), serviceName(o.service), ": ",
        el("strong", {}, String(o.waiting)))))));
    $("parked").replaceChildren(state.parked.length === 0
      ? el("p", { class: "muted" }, t("parked-none"))
      : el("table", {},
        el("thead", {}, el("tr", {},
          el("th", { scope: "col" }, t("col-number")), el("th", { scope: "col" }, t("col-service")),
          el("th", { scope: "col" }, el("span", { class: "visually-hidden" }, t("col-action"))))),
        el("tbody", {}, state.parked.map((tk) => el("tr", {},
          el("td", { class: "num" }, tk.number),
          el("td", { class: "service-cell" }, serviceName(tk.service)),
          el("td", {}, ctx.acts ? [
            button(t("action-return"), "small-button", true,
              () => ticketAction(tk.id, "return", undefined, (r) => t("ok-returned", { number: r.number }))), " ",
            button(t("action-cancel"), "small-button stop", true,
              () => ticketAction(tk.id, "cancel", undefined, (c) => t("ok-cancelled", { number: c.number }))),
          ] : ""))))));
    $("queues").replaceChildren(...ctx.services.map((s) => el("li", { "data-service": s.id, title: nameIn(s.names) },
      el("span", { class: "prefix" }, s.prefix), el("span", { class: "visually-hidden" }, nameIn(s.names) + ": "),
      el("strong", { class: "count" }, String(state.counts[s.id] || 0)))));
    const trouble = state.devices.filter((d) => !d.online || !["ready", "none"].includes(d.printer));
    $("device-alert").hidden = trouble.length === 0;
    $("device-alert").textContent = trouble.map((d) =>
      d.name + ": " + (d.online ? t("printer-" + d.printer) : t("device-silent"))).join(" · ");
    $("devices").replaceChildren(...(state.devices.length === 0
      ? [el("li", { class: "muted" }, t("devices-none"))]
      : state.devices.map((d) => {
        const bad = trouble.includes(d);
        return el("li", { class: bad ? "alert error" : "" },
          d.name, " — ", t(d.online ? "device-online" : "device-offline"),
          d.printer !== "none" ? " · " + t("printer-" + d.printer) : "");
      })));
    $("desks").replaceChildren(...state.desks.map((d) => el("li", {},
      nameIn(d.names), " — ", el("span", { class: "badge " + d.state }, t("desk-state-" + d.state)),
      d.ticket ? " · " + d.ticket.number : "")));
  }

  // The controls and actions are redrawn only when what they show changes, so that a
  // reason being typed or a service being chosen survives the live updates.
  let shown = { controls: null, actions: null };
  function render() {
    const desk = myDesk();
    const ticket = desk && desk.ticket;
    const controlsKey = JSON.stringify([state.deskId, desk && desk.state, desk && desk.pause_reason, !!ticket, state.busy]);
    if (controlsKey !== shown.controls) {
      shown.controls = controlsKey;
      renderControls(desk);
    }
    renderInHand(desk);
    const actionsKey = JSON.stringify([state.deskId, desk && desk.state, ticket && ticket.id, ticket && ticket.state, state.busy]);
    if (actionsKey !== shown.actions) {
      shown.actions = actionsKey;
      renderActions(desk);
    }
    renderLists(desk);
  }

  $("check-in-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = $("check-in-code");
    const code = input.value.replace(/[\s-]/g, "").toUpperCase();
    if (code) checkIn(code).then(() => { input.value = ""; });
  });

  // The timers tick without asking the server.
  setInterval(() => {
    for (const node of document.querySelectorAll("[data-since]")) node.textContent = since(node.dataset.since);
  }, 1000);

  // Keyboard: the main actions, when no field has the focus. Enter is the main button too.
  const keys = {
    [t("shortcut-call-next")]: "N", n: "N", enter: "N", [t("shortcut-recall")]: "R", r: "R",
    [t("shortcut-start")]: "S", s: "S", [t("shortcut-done")]: "D", d: "D",
    [t("shortcut-no-show")]: "X", x: "X",
  };
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    const focus = document.activeElement.tagName;
    if (["INPUT", "SELECT", "TEXTAREA", "BUTTON", "SUMMARY", "A"].includes(focus)) return;
    const shortcut = keys[e.key.toLowerCase()];
    const target = shortcut && document.querySelector(`#actions button[aria-keyshortcuts="${shortcut}"]`);
    if (target && !target.disabled) {
      e.preventDefault();
      target.click();
    }
  });

  // Live: any event of the site refreshes the page's data (coalesced).
  let pending = null;
  const soon = () => {
    if (pending) return;
    pending = setTimeout(() => { pending = null; refresh(); }, 100);
  };
  function connect() {
    const stream = new EventSource(`/api/v1/sites/${site}/events`);
    for (const kind of ctx.event_kinds) stream.addEventListener(kind, soon);
    stream.onopen = () => { setLive(true); soon(); };
    stream.onerror = () => {
      setLive(false);
      if (stream.readyState === EventSource.CLOSED) setTimeout(connect, 3000);
    };
  }
  // Devices' "online" ages without an event: look again each minute all the same.
  setInterval(soon, 60000);

  refresh();
  connect();
})();
