// Report downloads: show progress while the server prepares a PDF or a spreadsheet,
// and an error in French if it fails. Without JavaScript the links work as plain links.
(function () {
  "use strict";
  document.addEventListener("click", async function (event) {
    const print = event.target.closest("[data-print]");
    if (print) { window.print(); return; }
    const link = event.target.closest("a[data-download]");
    if (!link || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const status = document.querySelector(".download-status");
    const label = link.textContent.trim();
    link.setAttribute("aria-busy", "true");
    if (status) status.textContent = document.documentElement.lang === "en"
      ? "Preparing the " + label + " file…" : "Préparation du fichier " + label + "…";
    try {
      const response = await fetch(link.href, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const blob = await response.blob();
      const match = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = match ? match[1] : "";
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      if (status) status.textContent = document.documentElement.lang === "en"
        ? label + " file ready." : "Fichier " + label + " prêt.";
    } catch (error) {
      if (status) status.textContent = document.documentElement.lang === "en"
        ? "The file could not be prepared. Try again." : "Le fichier n’a pas pu être préparé. Réessayez.";
    } finally {
      link.removeAttribute("aria-busy");
    }
  });
})();
