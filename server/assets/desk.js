// The staff desk page: one desk's ticket in hand and the site's queues, live.
"use strict";

(() => {
  const { ctx, t, nameIn, api, errorText, since, el, setLive } = seira;
  const site = ctx.site;
  const services = Object.fromEntries(ctx.services.map((s) => [s.id, s]));
  const state = { deskId: null, desks: [], waiting: [], parked: [], devices: [], counts: {}, busy: false };

  const stored = localStorage.getItem("seira.desk");
  state.deskId = ctx.desks.some((d) => d.id === stored) ? stored : (ctx.desks[0] && ctx.desks[0].id);

  const $ = (id) => document.getElementById(id);
  const priorityName = (id) => nameIn(ctx.priorities[id]) || id;
  const myDesk = () => state.desks.find((d) => d.id === state.deskId);
  const myServices = () => (ctx.desks.find((d) => d.id === state.deskId) || { services: [] }).services;

  function say(text, isError) {
    const box = $("message");
    box.hidden = !text;
    box.textContent = text || "";
    box.classList.toggle("error", !!isError);
  }

  async function refresh() {
    const [desks, waiting, parked, devices] = await Promise.all([
      api("GET", `/api/v1/sites/${site}/desks`),
      api("GET", `/api/v1/sites/${site}/tickets?state=waiting`),
      api("GET", `/api/v1/sites/${site}/tickets?state=parked`),
      api("GET", `/api/v1/sites/${site}/devices`),
    ]);
    if (devices.ok) state.devices = devices.data;
    if ([desks, waiting, parked].some((r) => r.status === 401)) {
      location.href = "/login";
      return;
    }
    if (desks.ok) state.desks = desks.data;
    if (waiting.ok) state.waiting = waiting.data;
    if (parked.ok) state.parked = parked.data;
    state.counts = {};
    for (const ticket of state.waiting) state.counts[ticket.service] = (state.counts[ticket.service] || 0) + 1;
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
    else if (result.ok) say(onOk ? onOk(result.data) : "");
    else say(errorText(result), true);
    await refresh();
  }

  const deskAction = (verb, body, onOk) => act("POST", `/api/v1/desks/${state.deskId}/${verb}`, body, onOk);
  const ticketAction = (id, verb, body, onOk) => act("POST", `/api/v1/tickets/${id}/${verb}`, body, onOk);
  const callNext = () => deskAction("call-next", undefined, (ticket) => t("ok-called", { number: ticket.number }));

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
      render();
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
        el("div", {}, nameIn((services[ticket.service] || {}).names)),
        el("div", { id: "ticket-state" }, el("strong", {}, t("state-" + ticket.state))),
        ticket.priority ? el("div", {}, t("priority-label") + ": " + priorityName(ticket.priority)) : null,
        ticket.recalls ? el("div", {}, t("recalls-label", { count: ticket.recalls })) : null,
      ),
      el("span", { class: "timer", id: "timer", "data-since": since_, "aria-hidden": "true" }, since(since_)),
    ));
  }

  function renderActions(desk) {
    const box = $("actions");
    box.replaceChildren();
    if (!desk) return;
    const ticket = desk.ticket;
    const st = ticket ? ticket.state : null;
    const open = desk.state === "open";
    const id = ticket && ticket.id;
    const transferTo = el("select", { id: "transfer-to" },
      ctx.services.filter((s) => !ticket || s.id !== ticket.service)
        .map((s) => el("option", { value: s.id }, s.prefix + " · " + nameIn(s.names))));
    box.append(
      button(t("action-call-next"), "primary big wide", open && !ticket, callNext, "N"),
      button(t("action-recall"), "", st === "called", () => ticketAction(id, "recall"), "R"),
      button(t("action-start"), "go", st === "called", () => ticketAction(id, "start"), "S"),
      button(t("action-done"), "go", st === "serving",
        () => ticketAction(id, "done", undefined, (tk) => t("ok-done", { number: tk.number })), "D"),
      button(t("action-no-show"), "stop", st === "called", () => ticketAction(id, "no-show"), "X"),
      button(t("action-park"), "", st === "called" || st === "serving", () => ticketAction(id, "park")),
      el("div", { class: "wide controls" },
        el("div", {}, el("label", { for: "transfer-to" }, t("transfer-to")), transferTo),
        button(t("action-transfer"), "", st === "called" || st === "serving",
          () => ticketAction(id, "transfer", { service: transferTo.value })),
      ),
    );
  }

  function ticketTable(tickets, emptyKey, actions) {
    if (tickets.length === 0) return el("p", { class: "muted" }, t(emptyKey));
    return el("table", {},
      el("tbody", {}, tickets.map((tk) => el("tr", {},
        el("td", { class: "num" }, tk.number),
        el("td", {}, nameIn((services[tk.service] || {}).names)),
        el("td", {}, tk.priority ? el("span", { title: priorityName(tk.priority) }, "★ " + priorityName(tk.priority)) : ""),
        el("td", { "data-since": tk.queued_at, class: "timer-cell" }, since(tk.queued_at)),
        el("td", {}, actions(tk)),
      ))));
  }

  function renderLists(desk) {
    const mine = myServices();
    const canCall = ctx.acts && desk && desk.state === "open" && !desk.ticket;
    $("waiting").replaceChildren(ticketTable(state.waiting, "waiting-none", (tk) =>
      ctx.acts && mine.includes(tk.service)
        ? button(t("action-call-this") + " " + tk.number, "", canCall,
          () => deskAction("call", { ticket: tk.id }, (c) => t("ok-called", { number: c.number })))
        : ""));
    $("parked").replaceChildren(ticketTable(state.parked, "parked-none", (tk) => ctx.acts ? [
      button(t("action-return"), "", true, () => ticketAction(tk.id, "return")), " ",
      button(t("action-cancel"), "stop", true, () => ticketAction(tk.id, "cancel")),
    ] : ""));
    $("queues").replaceChildren(...ctx.services.map((s) => el("li", { "data-service": s.id },
      el("span", { class: "prefix" }, s.prefix), nameIn(s.names), ": ",
      el("strong", { class: "count" }, String(state.counts[s.id] || 0)))));
    $("devices").replaceChildren(...(state.devices.length === 0
      ? [el("li", { class: "muted" }, t("devices-none"))]
      : state.devices.map((d) => {
        const trouble = !d.online || !["ready", "none"].includes(d.printer);
        return el("li", { class: trouble ? "alert error" : "" },
          d.name, " — ", t(d.online ? "device-online" : "device-offline"), " · ", t("printer-" + d.printer));
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

  // The timers tick without asking the server.
  setInterval(() => {
    for (const node of document.querySelectorAll("[data-since]")) node.textContent = since(node.dataset.since);
  }, 1000);

  // Keyboard: the main actions, when no field has the focus.
  const keys = {
    [t("shortcut-call-next")]: "N", n: "N", [t("shortcut-recall")]: "R", r: "R",
    [t("shortcut-start")]: "S", s: "S", [t("shortcut-done")]: "D", d: "D",
    [t("shortcut-no-show")]: "X", x: "X",
  };
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    if (["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName)) return;
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

  refresh();
  connect();
})();
