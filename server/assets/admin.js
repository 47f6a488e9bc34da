// The administrator's page, in sections: the centre (names, address, hours), its services
// and desks, the calling order, the priority categories, the news ticker, closure days,
// users and device tokens. One site's settings are one form across the first sections.
"use strict";

(() => {
  const { ctx, t, nameIn, api, errorText, el } = seira;
  const $ = (id) => document.getElementById(id);
  const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  // The kiosk's languages, each named in itself; Greek is required, the rest fall back to it.
  const LANGS = [
    ["el", "Ελληνικά"], ["en", "English"], ["ar", "العربية"],
    ["fa", "فارسی"], ["uk", "Українська"], ["sq", "Shqip"],
  ];
  const RTL = ["ar", "fa"];
  // The bundled service icons (the kiosk draws them from the font it carries).
  const ICONS = [
    ["benefits", "€"], ["referrals", "⇄"], ["psychosocial", "♥"], ["children", "☺"],
    ["mediation", "⚖"], ["health", "⚕"], ["learning", "✎"], ["employment", "⚒"],
  ];
  let loaded = null; // { version, settings }
  let priorities = null; // { version, priorities }

  function say(text, isError) {
    const box = $("message");
    box.hidden = !text;
    box.textContent = text || "";
    box.classList.toggle("error", !!isError);
    if (text) box.scrollIntoView({ block: "nearest" });
  }

  // ---- sections --------------------------------------------------------------------------

  const SETTINGS_TABS = ["centre", "services", "desks", "calling", "news", "closures"];
  function showTab() {
    const wanted = location.hash.slice(1);
    const tab = document.getElementById(wanted) && document.getElementById(wanted).classList.contains("tab")
      ? wanted : "centre";
    for (const section of document.querySelectorAll("section.tab")) section.hidden = section.id !== tab;
    for (const link of document.querySelectorAll("nav.tabs a")) {
      if (link.dataset.tab === tab) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    $("save-bar").hidden = !SETTINGS_TABS.includes(tab);
  }
  window.addEventListener("hashchange", () => { say(""); showTab(); });
  showTab();

  // ---- the site ----------------------------------------------------------------------

  $("site-select").append(...ctx.sites.map(([id, names]) =>
    el("option", { value: id, selected: id === ctx.site }, nameIn(names))));
  $("site-select").addEventListener("change", (e) => {
    location.href = "/admin?site=" + encodeURIComponent(e.target.value) + location.hash;
  });

  let uid = 0;
  function field(label, input, extra) {
    if (!input.id) input.id = "f" + (++uid);
    return el("div", { class: "field" }, el("label", { for: input.id }, label, extra || null), input);
  }
  const text = (value, attrs = {}) => el("input", { value: value ?? "", ...attrs });
  const number = (value, min, max, attrs = {}) => el("input", { type: "number", min, max, value, ...attrs });

  /** A name in the six kiosk languages; an empty one (Greek aside) is flagged as missing. */
  function namesFields(names, what) {
    const box = el("div", { class: "names six" });
    for (const [lang, own] of LANGS) {
      const input = text(names[lang], {
        "data-lang": lang, lang, dir: RTL.includes(lang) ? "rtl" : "ltr", required: lang === "el",
      });
      const flag = el("span", { class: "tag warn missing-flag" }, t("admin-missing"));
      const mark = () => {
        const missing = !input.value.trim();
        flag.hidden = !missing;
        input.classList.toggle("missing", missing);
        countMissing();
      };
      input.addEventListener("input", mark);
      box.append(field((what ? what + " · " : "") + own, input, flag));
      queueMicrotask(mark);
    }
    return box;
  }

  /** Reads a row's names back: the six inputs, the other languages kept, empty ones dropped. */
  function readNames(row, names) {
    const out = { ...names };
    for (const input of row.querySelectorAll(":scope > .names input[data-lang]")) {
      const value = input.value.trim();
      if (value) out[input.dataset.lang] = value;
      else delete out[input.dataset.lang];
    }
    return out;
  }

  /** Tells how many service names lack a translation, so none ships in Greek only. */
  function countMissing() {
    const box = $("services-missing");
    if (!box) return;
    const rows = [...document.querySelectorAll("#services-list > .service")]
      .filter((row) => row.querySelector("input.missing"));
    box.hidden = rows.length === 0;
    box.textContent = t("admin-missing-count", { count: rows.length });
  }

  function serviceRow(service, isNew) {
    const icon = el("select", { "data-key": "icon" },
      ICONS.map(([id, symbol]) => el("option", { value: id, selected: (service.icon || service.id) === id },
        symbol + " " + t("admin-icon-" + id))));
    const row = el("fieldset", { class: "row service", "data-names": JSON.stringify(service.names) },
      el("legend", {}, (service.prefix || "?") + " · " + (nameIn(service.names) || service.id || t("admin-new"))),
      namesFields(service.names, t("admin-names")),
      el("div", { class: "grid" },
        field(t("admin-service-id"), text(service.id, { "data-key": "id", readonly: !isNew, pattern: "[a-z0-9-]+" })),
        field(t("admin-prefix"), text(service.prefix, { "data-key": "prefix", maxlength: "1", size: "2" })),
        field(t("admin-icon"), icon),
        field(t("admin-target"), number(service.target_wait_min, 1, 480, { "data-key": "target_wait_min" })),
        field(t("admin-typical"), number(service.typical_service_min, 1, 240, { "data-key": "typical_service_min" })),
        field(t("admin-appointment-slot"), number(service.appointment_slot_min ?? "", 5, 240,
          { "data-key": "appointment_slot_min", step: "5", placeholder: t("admin-appointment-none") })),
      ),
      el("label", { class: "inline" },
        el("input", { type: "checkbox", "data-key": "phone_join", checked: !!service.phone_join }),
        " " + t("admin-phone-join")),
      el("button", { type: "button", class: "stop small-button", onclick: () => { row.remove(); countMissing(); } }, t("admin-remove")),
    );
    row.dataset.hours = JSON.stringify(service.hours ?? null);
    return row;
  }

  function deskServicesList(desk, services) {
    // The desk's services in order (checked), then the others (unchecked).
    const ordered = [...desk.services, ...services.map((s) => s.id).filter((id) => !desk.services.includes(id))];
    const list = el("ol", { class: "ordered" });
    const item = (id) => {
      const s = services.find((x) => x.id === id);
      const li = el("li", { "data-service": id },
        el("label", { class: "inline" }, el("input", { type: "checkbox", checked: desk.services.includes(id) }),
          " " + (s ? s.prefix + " · " + nameIn(s.names) : id)),
        " ",
        el("button", { type: "button", class: "small-button", "aria-label": t("admin-up") + " " + id, onclick: () => li.previousElementSibling && li.previousElementSibling.before(li) }, "↑"),
        el("button", { type: "button", class: "small-button", "aria-label": t("admin-down") + " " + id, onclick: () => li.nextElementSibling && li.nextElementSibling.after(li) }, "↓"),
      );
      return li;
    };
    list.append(...ordered.map(item));
    return list;
  }

  function deskRow(desk, services, isNew) {
    const order = el("select", { "data-key": "order" },
      el("option", { value: "desk_order", selected: desk.order === "desk_order" }, t("admin-order-desk")),
      el("option", { value: "oldest_first", selected: desk.order === "oldest_first" }, t("admin-order-oldest")));
    const row = el("fieldset", { class: "row desk", "data-names": JSON.stringify(desk.names),
      "data-appointment-hours": JSON.stringify(desk.appointment_hours ?? null) },
      el("legend", {}, nameIn(desk.names) || desk.id || t("admin-new")),
      namesFields(desk.names, t("admin-names")),
      el("div", { class: "grid" },
        field(t("admin-desk-id"), text(desk.id, { "data-key": "id", readonly: !isNew, pattern: "[a-z0-9-]+" })),
        field(t("admin-desk-order"), order),
      ),
      el("p", { class: "label" }, t("admin-desk-services")),
      deskServicesList(desk, services),
      el("button", { type: "button", class: "stop small-button", onclick: () => row.remove() }, t("admin-remove")),
    );
    return row;
  }

  function newsRow(names) {
    const row = el("fieldset", { class: "row news-line", "data-names": JSON.stringify(names) },
      el("legend", {}, t("admin-news-line")),
      namesFields(names, ""),
      el("button", { type: "button", class: "stop small-button", onclick: () => row.remove() }, t("admin-remove")));
    return row;
  }

  function closureRow(day) {
    const input = el("input", { type: "date", value: day || "", "data-key": "closed" });
    const row = el("li", { class: "closure" }, field(t("admin-closed-day"), input),
      el("button", { type: "button", class: "stop small-button", onclick: () => row.remove() }, t("admin-remove")));
    return row;
  }

  function renderSettings() {
    const s = loaded.settings;
    $("centre-fields").replaceChildren(
      el("fieldset", { class: "row site", "data-names": JSON.stringify(s.names) },
        el("legend", {}, t("admin-names")), namesFields(s.names, ""),
        field(t("admin-address"), text(s.address, { id: "address" })),
        field(t("admin-public-url"), text(s.public_url, { id: "public-url", type: "url", placeholder: "https://", "aria-describedby": "public-url-help" })),
        el("p", { class: "muted small", id: "public-url-help" }, t("admin-public-url-help"))),
      el("fieldset", { class: "row" }, el("legend", {}, t("admin-hours")),
        el("p", { class: "muted small" }, t("admin-hours-help")),
        el("div", { class: "grid" }, DAYS.map((d) =>
          field(t("day-" + d), text((s.hours[d] || []).join(", "), { "data-day": d, placeholder: "07:30-15:30" }))))));

    // The rows are the list's own children, the add button after them.
    const addService = el("button", { type: "button", onclick: () => {
      addService.before(serviceRow({ id: "", prefix: "", names: {}, icon: "referrals", target_wait_min: 20, typical_service_min: 15 }, true));
      countMissing();
    } }, t("admin-add-service"));
    $("services-list").replaceChildren(...s.services.map((x) => serviceRow(x, false)), addService);

    const desks = s.desks.map((d) => deskRow(d, s.services, false));
    const addDesk = el("button", { type: "button", onclick: () =>
      addDesk.before(deskRow({ id: "", names: {}, services: [], order: "desk_order" }, readServices(), true)) },
    t("admin-add-desk"));
    $("desks-list").replaceChildren(...desks, addDesk);

    $("calling-fields").replaceChildren(el("div", { class: "grid" },
      field(t("admin-ratio-priority"), number(s.calling.priority_ratio[0], 1, 20, { id: "ratio-priority" })),
      field(t("admin-ratio-ordinary"), number(s.calling.priority_ratio[1], 1, 20, { id: "ratio-ordinary" })),
      field(t("admin-undo-window"), number(s.calling.undo_window_min ?? 15, 1, 240, { id: "undo-window" })),
      field(t("admin-check-in-early"), number(s.calling.check_in_early_min ?? 10, 0, 120, { id: "check-in-early" })),
      field(t("admin-check-in-late"), number(s.calling.check_in_late_min ?? 15, 0, 120, { id: "check-in-late" })),
      field(t("admin-late-check-in"), el("select", { id: "late-check-in" },
        ["queue", "refuse"].map((v) => el("option", { value: v, selected: (s.calling.late_check_in || "queue") === v },
          t("admin-late-check-in-" + v))))),
    ), el("label", { class: "inline" }, el("input", { type: "checkbox", id: "aging", checked: s.calling.aging }), " " + t("admin-aging")),
    el("fieldset", { class: "row" }, el("legend", {}, t("admin-near-turn")),
      el("p", { class: "muted small" }, t("admin-near-turn-help")),
      el("div", { class: "grid" },
        field(t("admin-near-ahead"), number(s.near_turn?.ahead ?? 3, 1, 20, { id: "near-ahead" })),
        field(t("admin-near-minutes"), number(s.near_turn?.minutes ?? 10, 0, 120, { id: "near-minutes" })))),
    el("fieldset", { class: "row" }, el("legend", {}, t("admin-phone-joining")),
      el("p", { class: "muted small" }, t("admin-phone-joining-help")),
      el("div", { class: "grid" },
        field(t("admin-phone-max-waiting"), number(s.phone_joining?.max_waiting ?? 15, 1, 500, { id: "phone-max-waiting" })),
        field(t("admin-phone-per-quarter"), number(s.phone_joining?.per_quarter_hour ?? 20, 1, 500, { id: "phone-per-quarter" }))),
      el("label", { class: "inline" }, el("input", { type: "checkbox", id: "phone-door-code", checked: !!s.phone_joining?.door_code }), " " + t("admin-phone-door-code")),
      el("p", { class: "small" }, el("a", { href: `/join/${s.id}/poster` }, t("admin-phone-poster")))));

    const news = el("div", { id: "news-rows" }, (s.news || []).map(newsRow));
    $("news-list").replaceChildren(news,
      el("button", { type: "button", onclick: () => news.append(newsRow({})) }, t("admin-add-news")));

    const closures = el("ul", { id: "closure-rows", class: "closures" }, (s.closed_days || []).map(closureRow));
    $("closures-list").replaceChildren(closures,
      el("button", { type: "button", onclick: () => closures.append(closureRow("")) }, t("admin-add-closure")));
    countMissing();
  }

  function readServices() {
    return [...document.querySelectorAll("#services-list > .service")].map((row) => {
      const get = (key) => row.querySelector(`[data-key=${key}]`).value.trim();
      const service = {
        id: get("id"),
        prefix: get("prefix").toUpperCase(),
        names: readNames(row, JSON.parse(row.dataset.names)),
        icon: get("icon"),
        target_wait_min: Number(get("target_wait_min")),
        typical_service_min: Number(get("typical_service_min")),
      };
      // Empty: walk-ins only.
      const slot = get("appointment_slot_min");
      if (slot) service.appointment_slot_min = Number(slot);
      if (row.querySelector("[data-key=phone_join]").checked) service.phone_join = true;
      const hours = JSON.parse(row.dataset.hours);
      if (hours) service.hours = hours;
      return service;
    });
  }

  function readSettings() {
    const s = loaded.settings;
    const hours = {};
    for (const input of document.querySelectorAll("[data-day]")) {
      const spans = input.value.split(",").map((x) => x.trim()).filter(Boolean);
      if (spans.length) hours[input.dataset.day] = spans;
    }
    return {
      ...s,
      names: readNames(document.querySelector("fieldset.site"), s.names),
      address: $("address").value.trim(),
      public_url: $("public-url").value.trim() || undefined,
      // The gateway of the text messages is the configuration file's (like the reminders').
      near_turn: { ...s.near_turn, ahead: Number($("near-ahead").value), minutes: Number($("near-minutes").value) },
      // The trusted proxies are the configuration file's (IT's, with the proxy).
      phone_joining: { ...s.phone_joining, max_waiting: Number($("phone-max-waiting").value), per_quarter_hour: Number($("phone-per-quarter").value), door_code: $("phone-door-code").checked },
      hours,
      closed_days: [...document.querySelectorAll("#closure-rows input[data-key=closed]")]
        .map((i) => i.value).filter(Boolean),
      calling: {
        ...s.calling,
        priority_ratio: [Number($("ratio-priority").value), Number($("ratio-ordinary").value)],
        aging: $("aging").checked,
        undo_window_min: Number($("undo-window").value),
        check_in_early_min: Number($("check-in-early").value),
        check_in_late_min: Number($("check-in-late").value),
        late_check_in: $("late-check-in").value,
      },
      news: [...document.querySelectorAll("#news-rows > .news-line")]
        .map((row) => readNames(row, {}))
        .filter((names) => Object.keys(names).length > 0),
      services: readServices(),
      desks: [...document.querySelectorAll("#desks-list > .desk")].map((row) => ({
        id: row.querySelector("[data-key=id]").value.trim(),
        names: readNames(row, JSON.parse(row.dataset.names)),
        order: row.querySelector("[data-key=order]").value,
        services: [...row.querySelectorAll("ol.ordered li")]
          .filter((li) => li.querySelector("input").checked)
          .map((li) => li.dataset.service),
        // Kept as the file has them (edited in the file, like a service's own hours).
        ...(JSON.parse(row.dataset.appointmentHours) ? { appointment_hours: JSON.parse(row.dataset.appointmentHours) } : {}),
      })),
    };
  }

  async function loadSettings() {
    const result = await api("GET", `/api/v1/admin/sites/${ctx.site}/settings`);
    if (!result.ok) return say(errorText(result), true);
    loaded = result.data;
    renderSettings();
  }

  $("settings").addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = { version: loaded.version, settings: readSettings() };
    const result = await api("PUT", `/api/v1/admin/sites/${ctx.site}/settings`, body);
    if (!result.ok) return say(errorText(result), true);
    loaded = result.data;
    // One configuration holds both: the categories' form now goes with the new version.
    if (priorities) priorities.version = loaded.version;
    renderSettings();
    say(t("admin-saved"));
  });

  // ---- priority categories (shared by every site) ---------------------------------------

  function priorityRow(p, isNew) {
    const row = el("fieldset", { class: "row priority", "data-names": JSON.stringify(p.names) },
      el("legend", {}, nameIn(p.names) || p.id || t("admin-new")),
      namesFields(p.names, t("admin-names")),
      el("div", { class: "grid" },
        field(t("admin-priority-id"), text(p.id, { "data-key": "id", readonly: !isNew, pattern: "[a-z0-9-]+" }))),
      el("button", { type: "button", class: "stop small-button", onclick: () => row.remove() }, t("admin-remove")));
    return row;
  }

  function renderPriorities() {
    const form = $("priorities-form");
    const rows = el("div", { id: "priority-rows" }, priorities.priorities.map((p) => priorityRow(p, false)));
    form.replaceChildren(rows,
      el("button", { type: "button", onclick: () => rows.append(priorityRow({ id: "", names: {} }, true)) }, t("admin-add-priority")),
      el("p", { class: "save-bar" }, el("button", { type: "submit", class: "primary" }, t("admin-save-priorities"))));
  }

  async function loadPriorities() {
    const result = await api("GET", "/api/v1/admin/priorities");
    if (!result.ok) return say(errorText(result), true);
    priorities = result.data;
    renderPriorities();
  }

  $("priorities-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const list = [...document.querySelectorAll("#priority-rows > .priority")].map((row) => ({
      id: row.querySelector("[data-key=id]").value.trim(),
      names: readNames(row, JSON.parse(row.dataset.names)),
    }));
    const result = await api("PUT", "/api/v1/admin/priorities", { version: priorities.version, priorities: list });
    if (!result.ok) return say(errorText(result), true);
    priorities = result.data;
    if (loaded) loaded.version = priorities.version;
    renderPriorities();
    say(t("admin-saved"));
  });

  // ---- users ---------------------------------------------------------------------------

  const siteOptions = (withAny) => [
    ...(withAny ? [el("option", { value: "" }, t("admin-any"))] : []),
    ...ctx.sites.map(([id, names]) => el("option", { value: id, selected: id === ctx.site }, nameIn(names))),
  ];

  function table(headings, rows) {
    return el("table", {},
      el("thead", {}, el("tr", {}, headings.map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows));
  }

  async function loadUsers() {
    const result = await api("GET", "/api/v1/admin/users");
    if (!result.ok) return say(errorText(result), true);
    const rows = result.data.map((u) => el("tr", {},
      el("td", {}, u.name), el("td", {}, t("role-" + u.role)), el("td", {}, u.site || t("admin-any")),
      el("td", {}, u.desks.join(", ") || t("admin-any")),
      el("td", {}, t(u.disabled ? "admin-state-disabled" : "admin-state-active")),
      el("td", {},
        el("button", { type: "button", class: "small-button", onclick: () => userAction(u.name, u.disabled ? "enable" : "disable") },
          t(u.disabled ? "admin-enable" : "admin-disable")), " ",
        el("button", { type: "button", class: "small-button", onclick: () => newPassword(u.name) }, t("admin-new-password")))));
    const name = text("", { autocomplete: "off" });
    const role = el("select", {}, ["staff", "manager", "admin"].map((r) => el("option", { value: r }, t("role-" + r))));
    const site = el("select", {}, siteOptions(true));
    const desks = text("", { placeholder: "chania-1, chania-2" });
    const password = text("", { type: "password", autocomplete: "new-password" });
    const form = el("form", { class: "grid", onsubmit: async (e) => {
      e.preventDefault();
      const body = {
        name: name.value.trim(), role: role.value, site: site.value || null,
        desks: desks.value.split(",").map((x) => x.trim()).filter(Boolean), password: password.value,
      };
      const r = await api("POST", "/api/v1/admin/users", body);
      if (!r.ok) return say(errorText(r), true);
      say(t("admin-user-added", { name: r.data.name }));
      loadUsers();
    } },
      field(t("admin-user-name"), name), field(t("admin-role"), role), field(t("admin-site"), site),
      field(t("admin-user-desks"), desks), field(t("admin-password"), password),
      el("button", { type: "submit", class: "primary" }, t("admin-add-user")));
    $("users-list").replaceChildren(
      table([t("admin-user-name"), t("admin-role"), t("admin-site"), t("admin-desks"), t("admin-state"), t("col-action")], rows),
      el("h3", {}, t("admin-add-user")), form);
  }

  async function userAction(name, verb) {
    const r = await api("POST", `/api/v1/admin/users/${encodeURIComponent(name)}/${verb}`);
    if (!r.ok) say(errorText(r), true);
    loadUsers();
  }

  async function newPassword(name) {
    const password = prompt(t("admin-new-password") + " — " + name);
    if (!password) return;
    const r = await api("POST", `/api/v1/admin/users/${encodeURIComponent(name)}/password`, { password });
    say(r.ok ? t("admin-password-set") : errorText(r), !r.ok);
  }

  // ---- tokens --------------------------------------------------------------------------

  async function loadTokens() {
    const result = await api("GET", "/api/v1/admin/tokens");
    if (!result.ok) return say(errorText(result), true);
    const rows = result.data.map((k) => el("tr", {},
      el("td", {}, String(k.id)), el("td", {}, t("role-" + k.role)), el("td", {}, k.site || t("admin-any")),
      el("td", {}, k.desk || ""), el("td", {}, k.label),
      el("td", {}, k.revoked ? t("admin-revoked")
        : el("button", { type: "button", class: "stop small-button", onclick: async () => {
          const r = await api("POST", `/api/v1/admin/tokens/${k.id}/revoke`);
          if (!r.ok) say(errorText(r), true);
          loadTokens();
        } }, t("admin-revoke")))));
    const role = el("select", {}, ["kiosk", "display", "staff", "manager", "admin"].map((r) => el("option", { value: r }, t("role-" + r))));
    const site = el("select", {}, siteOptions(true));
    const desk = el("select", {}, el("option", { value: "" }, "—"),
      ctx.desks.map(([s, id, names]) => el("option", { value: id }, s + " · " + nameIn(names))));
    const label = text("", { autocomplete: "off" });
    const shown = el("div", { id: "new-token" });
    const form = el("form", { class: "grid", onsubmit: async (e) => {
      e.preventDefault();
      const r = await api("POST", "/api/v1/admin/tokens", {
        role: role.value, site: site.value || null, desk: desk.value || null, label: label.value,
      });
      if (!r.ok) return say(errorText(r), true);
      await loadTokens();
      $("new-token").replaceChildren(el("p", { class: "alert" }, t("admin-token-once")),
        el("input", { readonly: true, value: r.data.token, id: "token-value", "aria-label": t("admin-token-once") }));
    } },
      field(t("admin-role"), role), field(t("admin-site"), site), field(t("admin-token-desk"), desk),
      field(t("admin-token-label"), label), el("button", { type: "submit", class: "primary" }, t("admin-create-token")));
    $("tokens-list").replaceChildren(
      table(["#", t("admin-role"), t("admin-site"), t("admin-token-desk"), t("admin-token-label"), t("col-action")], rows),
      el("h3", {}, t("admin-create-token")), form, shown);
  }

  loadSettings();
  loadPriorities();
  loadUsers();
  loadTokens();
})();
