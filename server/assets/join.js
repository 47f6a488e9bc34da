// The QR poster's page: one tap takes a number, then the ticket's own page opens.
"use strict";

(() => {
  const { ctx, t, api, requestId } = seira;
  const message = document.getElementById("join-message");
  let busy = false;

  for (const button of document.querySelectorAll("button.join")) {
    // One id per service for this page: a second tap (or a retry) is the same ticket.
    const id = requestId("join");
    button.addEventListener("click", async () => {
      if (busy) return;
      busy = true;
      const label = button.querySelector(".state").textContent;
      button.querySelector(".state").textContent = t("join-taking");
      const result = await api("POST", `/api/v1/sites/${ctx.site}/join`,
        { service: button.dataset.service, lang: ctx.lang, request_id: id, door: ctx.door || undefined });
      busy = false;
      button.querySelector(".state").textContent = label;
      if (result.ok) {
        location.href = `/t/${result.data.id}?lang=${ctx.lang}`;
        return;
      }
      const code = result.data && result.data.error;
      message.textContent = result.status === 0 ? t("error-network")
        : code === "too_many_joins" ? t("join-too-many")
        : code === "phone_queue_full" ? t("join-busy")
        : code === "door_code" ? t("join-door")
        : code === "closed" ? t("join-closed")
        : code === "not_offered" ? t("join-none") : t("error-other");
      message.hidden = false;
    });
  }
})();
