// Forms marked data-submit-once send once: the button is disabled on the first
// submit, so a double click cannot send the booking twice (the server would
// still return the same booking for the repeat, through its idempotency key).
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-submit-once]")) {
      return;
    }
    if (form.dataset.sent === "yes") {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "yes";
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = true;
      button.classList.add("sending");
      button.textContent = "Booking…";
    });
  });

  // Coming back with the browser's Back button shows the form ready to send again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = false;
        button.classList.remove("sending");
        button.textContent = "Confirm booking";
      });
    });
  });
})();
