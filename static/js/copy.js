// "Copy the link" buttons: data-copy names the field to copy. Shown only with JavaScript
// (the button is hidden in the HTML); without it, the field can be selected and copied.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", async function () {
      const field = document.querySelector(button.dataset.copy);
      const status = button.parentElement.querySelector(".copy-status");
      try {
        await navigator.clipboard.writeText(field.value);
        if (status) status.textContent = button.dataset.copied;
      } catch (error) {
        field.focus();
        field.select();
        if (status) status.textContent = button.dataset.failed;
      }
    });
  });
})();
