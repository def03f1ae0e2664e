// Khuyến công số: the page behaviours that would otherwise be inline handlers. The
// Content-Security-Policy allows no inline script, so templates say what they need with data-*
// attributes and this file does it.
"use strict";

// <select data-autosubmit>: choosing an option submits its form (the role switcher).
document.addEventListener("change", function (event) {
  var element = event.target;
  if (element instanceof HTMLElement && element.matches("[data-autosubmit]") && element.form) {
    element.form.submit();
  }
});

// The unit picker (geo/picker.py): a suggestion chosen writes its label into the box, closes
// the list and fires "change" (so a filter form reloads); Escape or a click elsewhere closes it.
function closeUnitLists(except) {
  document.querySelectorAll("[data-unit-picker]").forEach(function (picker) {
    if (picker === except) return;
    var list = picker.querySelector(".unit-picker-list");
    var box = picker.querySelector("input");
    if (list) list.replaceChildren();
    if (box) box.setAttribute("aria-expanded", "false");
  });
}
document.addEventListener("click", function (event) {
  var target = event.target instanceof Element ? event.target : null;
  var option = target && target.closest("[data-unit-pick]");
  var picker = target && target.closest("[data-unit-picker]");
  if (option && picker) {
    var box = picker.querySelector("input");
    box.value = option.getAttribute("data-unit-pick");
    closeUnitLists(null);
    box.focus();
    box.dispatchEvent(new Event("change", { bubbles: true }));
    return;
  }
  closeUnitLists(picker);
});
document.addEventListener("keydown", function (event) {
  if (event.key === "Escape") closeUnitLists(null);
});
document.addEventListener("htmx:afterSwap", function (event) {
  var list = event.target;
  if (list instanceof Element && list.matches(".unit-picker-list")) {
    var box = list.parentElement.querySelector("input");
    if (box) box.setAttribute("aria-expanded", list.children.length ? "true" : "false");
  }
});
