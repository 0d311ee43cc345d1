// "Use my location" on the clinic list: shown only when the browser can tell where
// it is; fills the hidden latitude and longitude fields and submits the form.
(function () {
  "use strict";

  function setUp(form) {
    var area = form.querySelector("[data-locate-area]");
    var button = form.querySelector("[data-locate]");
    var status = form.querySelector("[data-locate-status]");
    if (!area || !button || form.dataset.locateReady || !("geolocation" in navigator)) {
      return;
    }
    form.dataset.locateReady = "yes";
    area.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "Finding your location…";
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          form.querySelector("[name=lat]").value = position.coords.latitude.toFixed(5);
          form.querySelector("[name=lon]").value = position.coords.longitude.toFixed(5);
          form.querySelector("[name=place]").value = "";
          status.textContent = "Showing the clinics nearest to you…";
          button.disabled = false;
          if (form.requestSubmit) {
            form.requestSubmit();
          } else {
            form.submit();
          }
        },
        function () {
          button.disabled = false;
          status.textContent =
            "We could not get your location. Type your postcode, ZIP code or town instead.";
        },
        { timeout: 10000, maximumAge: 300000 }
      );
    });
    // A typed search replaces a position found earlier.
    form.querySelector("[name=place]").addEventListener("input", function () {
      form.querySelector("[name=lat]").value = "";
      form.querySelector("[name=lon]").value = "";
    });
  }

  function setUpAll() {
    document.querySelectorAll("[data-locate-form]").forEach(setUp);
  }

  document.addEventListener("DOMContentLoaded", setUpAll);
  // The form is re-rendered when htmx swaps in new results.
  document.addEventListener("htmx:afterSwap", setUpAll);
})();
