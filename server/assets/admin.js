// The administrator's page: a site's settings as a form, users and device tokens.
"use strict";

(() => {
  const { ctx, t, nameIn, api, errorText, el } = seira;
  const $ = (id) => document.getElementById(id);
  const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  let loaded = null; // { version, settings }

  function say(text, isError) {
    const box = $("message");
    box.hidden = !text;
    box.textContent = text || "";
    box.classList.toggle("error", !!isError);
    if (text) box.scrollIntoView({ block: "nearest" });
  }

  // ---- the site ----------------------------------------------------------------------

  $("site-select").append(...ctx.sites.map(([id, names]) =>
    el("option", { value: id, selected: id === ctx.site }, nameIn(names))));
  $("site-select").addEventListener("change", (e) => {
    location.href = "/admin?site=" + encodeURIComponent(e.target.value);
  });

  let uid = 0;
  function field(label, input) {
    if (!input.id) input.id = "f" + (++uid);
    const id = input.id;
    return el("div", { class: "field" }, el("label", { for: id }, label), input);
  }
  const text = (value, attrs = {}) => el("input", { value: value ?? "", ...attrs });
  const number = (value, min, max) => el("input", { type: "number", min, max, value });

  function namesFields(names, prefix) {
    return [
      field(t("admin-name-el") + (prefix ? " · " + prefix : ""), text(names.el, { "data-lang": "el", required: true })),
      field(t("admin-name-en") + (prefix ? " · " + prefix : ""), text(names.en, { "data-lang": "en", required: true })),
    ];
  }

  /** Reads the el/en inputs of a row back into a copy of `names` (other languages kept). */
  function readNames(row, names) {
    const out = { ...names };
    for (const input of row.querySelectorAll(":scope > .names input[data-lang]")) out[input.dataset.lang] = input.value.trim();
    return out;
  }

  function serviceRow(service, isNew) {
    const row = el("fieldset", { class: "row service", "data-names": JSON.stringify(service.names) },
      el("legend", {}, (service.prefix || "?") + " · " + (nameIn(service.names) || service.id || "")),
      el("div", { class: "names" }, namesFields(service.names)),
      el("div", { class: "grid" },
        field(t("admin-service-id"), text(service.id, { name: "id", readonly: !isNew, pattern: "[a-z0-9-]+" })),
        field(t("admin-prefix"), text(service.prefix, { name: "prefix", maxlength: "1", size: "2" })),
        field(t("admin-target"), number(service.target_wait_min, 1, 480)),
        field(t("admin-typical"), number(service.typical_service_min, 1, 240)),
      ),
      el("button", { type: "button", class: "stop", onclick: () => row.remove() }, t("admin-remove")),
    );
    row.querySelector("[name=id]").dataset.key = "id";
    const numbers = row.querySelectorAll("input[type=number]");
    numbers[0].dataset.key = "target_wait_min";
    numbers[1].dataset.key = "typical_service_min";
    row.dataset.hours = JSON.stringify(service.hours ?? null);
    row.dataset.icon = service.icon || "";
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
        el("button", { type: "button", "aria-label": t("admin-up") + " " + id, onclick: () => li.previousElementSibling && li.previousElementSibling.before(li) }, "↑"),
        el("button", { type: "button", "aria-label": t("admin-down") + " " + id, onclick: () => li.nextElementSibling && li.nextElementSibling.after(li) }, "↓"),
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
    const row = el("fieldset", { class: "row desk", "data-names": JSON.stringify(desk.names) },
      el("legend", {}, nameIn(desk.names) || desk.id || ""),
      el("div", { class: "names" }, namesFields(desk.names)),
      el("div", { class: "grid" },
        field(t("admin-desk-id"), text(desk.id, { "data-key": "id", readonly: !isNew, pattern: "[a-z0-9-]+" })),
        field(t("admin-desk-order"), order),
      ),
      el("p", { class: "label" }, t("admin-desk-services")),
      deskServicesList(desk, services),
      el("button", { type: "button", class: "stop", onclick: () => row.remove() }, t("admin-remove")),
    );
    return row;
  }

  function renderSettings() {
    const s = loaded.settings;
    const form = $("settings");
    form.replaceChildren();
    const hours = el("fieldset", { class: "row" }, el("legend", {}, t("admin-hours")),
      el("p", { class: "muted small" }, t("admin-hours-help")),
      el("div", { class: "grid" }, DAYS.map((d) =>
        field(t("day-" + d), text((s.hours[d] || []).join(", "), { "data-day": d, placeholder: "07:30-15:30" })))));
    const calling = el("fieldset", { class: "row" }, el("legend", {}, t("admin-calling")),
      el("div", { class: "grid" },
        field(t("admin-ratio-priority"), number(s.calling.priority_ratio[0], 1, 20)),
        field(t("admin-ratio-ordinary"), number(s.calling.priority_ratio[1], 1, 20)),
      ),
      el("label", { class: "inline" }, el("input", { type: "checkbox", id: "aging", checked: s.calling.aging }), " " + t("admin-aging")));
    const siteRow = el("fieldset", { class: "row site" }, el("legend", {}, t("admin-names")),
      el("div", { class: "names" }, namesFields(s.names)),
      field(t("admin-address"), text(s.address, { id: "address" })));
    const services = el("div", { id: "services" }, s.services.map((x) => serviceRow(x, false)));
    const desks = el("div", { id: "desks" }, s.desks.map((d) => deskRow(d, s.services, false)));
    form.append(siteRow, hours, calling,
      el("h3", {}, t("admin-services")), services,
      el("button", { type: "button", onclick: () => services.append(serviceRow({ id: "", prefix: "", names: {}, target_wait_min: 20, typical_service_min: 15 }, true)) }, t("admin-add-service")),
      el("h3", {}, t("admin-desks")), desks,
      el("button", { type: "button", onclick: () => desks.append(deskRow({ id: "", names: {}, services: [], order: "desk_order" }, readServices(), true)) }, t("admin-add-desk")),
      el("button", { type: "submit", class: "primary big" }, t("admin-save")));
    const ratio = calling.querySelectorAll("input[type=number]");
    ratio[0].id = "ratio-priority";
    ratio[1].id = "ratio-ordinary";
  }

  function readServices() {
    return [...document.querySelectorAll("#services > .service")].map((row) => {
      const get = (key) => row.querySelector(`[data-key=${key}]`).value.trim();
      const service = {
        id: get("id"),
        prefix: row.querySelector("[name=prefix]").value.trim().toUpperCase(),
        names: readNames(row, JSON.parse(row.dataset.names)),
        icon: row.dataset.icon || get("id"),
        target_wait_min: Number(get("target_wait_min")),
        typical_service_min: Number(get("typical_service_min")),
      };
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
      hours,
      calling: {
        priority_ratio: [Number($("ratio-priority").value), Number($("ratio-ordinary").value)],
        aging: $("aging").checked,
      },
      services: readServices(),
      desks: [...document.querySelectorAll("#desks > .desk")].map((row) => ({
        id: row.querySelector("[data-key=id]").value.trim(),
        names: readNames(row, JSON.parse(row.dataset.names)),
        order: row.querySelector("[data-key=order]").value,
        services: [...row.querySelectorAll("ol.ordered li")]
          .filter((li) => li.querySelector("input").checked)
          .map((li) => li.dataset.service),
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
    renderSettings();
    say(t("admin-saved"));
  });

  // ---- users ---------------------------------------------------------------------------

  const siteOptions = (withAny) => [
    ...(withAny ? [el("option", { value: "" }, t("admin-any"))] : []),
    ...ctx.sites.map(([id, names]) => el("option", { value: id, selected: id === ctx.site }, nameIn(names))),
  ];

  async function loadUsers() {
    const result = await api("GET", "/api/v1/admin/users");
    if (!result.ok) return say(errorText(result), true);
    const rows = result.data.map((u) => el("tr", {},
      el("td", {}, u.name), el("td", {}, t("role-" + u.role)), el("td", {}, u.site || t("admin-any")),
      el("td", {}, u.desks.join(", ") || t("admin-any")),
      el("td", {}, t(u.disabled ? "admin-state-disabled" : "admin-state-active")),
      el("td", {},
        el("button", { type: "button", onclick: () => userAction(u.name, u.disabled ? "enable" : "disable") },
          t(u.disabled ? "admin-enable" : "admin-disable")), " ",
        el("button", { type: "button", onclick: () => newPassword(u.name) }, t("admin-new-password")))));
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
    $("users").replaceChildren(el("table", {}, el("tbody", {}, rows)), el("h3", {}, t("admin-add-user")), form);
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
        : el("button", { type: "button", class: "stop", onclick: async () => {
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
    $("tokens").replaceChildren(el("table", {}, el("tbody", {}, rows)), el("h3", {}, t("admin-create-token")), form, shown);
  }

  loadSettings();
  loadUsers();
  loadTokens();
})();
