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
