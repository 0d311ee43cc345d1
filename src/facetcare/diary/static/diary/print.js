// Shows the "Print this list" button (hidden without JavaScript) and prints on click.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
