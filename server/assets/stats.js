// The statistics page: the print button (the page itself, printed, is the report).
"use strict";
document.getElementById("print")?.addEventListener("click", () => window.print());
