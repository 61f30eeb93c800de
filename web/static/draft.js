// Checking a draft template: "from the document" shows the sentence a field was read from, each item's kind of
// time shows the inputs it needs, a suggested agency is chosen with one click, and a multiple choice says what
// it holds.
(function () {
  "use strict";

  var focused = null;

  function unfocus() {
    if (!focused) { return; }
    focused.holder.textContent = focused.text;
    focused.paragraph.classList.remove("focus");
    focused = null;
  }

  function highlight(paragraph, start, end) {
    var holder = paragraph.querySelector("mark") || paragraph;
    var text = holder.textContent;
    focused = { holder: holder, text: text, paragraph: paragraph };
    if (!(start >= 0 && end > start && end <= text.length)) { start = 0; end = text.length; }
    var mark = document.createElement("mark");
    mark.className = "focus";
    mark.textContent = text.slice(start, end);
    holder.textContent = "";
    holder.append(text.slice(0, start), mark, text.slice(end));
    paragraph.classList.add("focus");
  }

  function show(link) {
    var paragraph = document.getElementById("para-" + link.dataset.paragraph);
    if (!paragraph) { return false; }
    unfocus();
    highlight(paragraph, Number(link.dataset.start), Number(link.dataset.end));
    var box = paragraph.closest(".paragraphs");
    if (box && box.scrollHeight > box.clientHeight && getComputedStyle(box).overflowY === "auto"
        && window.matchMedia("(min-width: 901px)").matches) {
      box.scrollTop = Math.max(paragraph.offsetTop - box.clientHeight / 3, 0);
    } else {
      paragraph.scrollIntoView({ block: "center" });
    }
    return true;
  }

  function sources() {
    document.querySelectorAll("a.source[data-paragraph]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (show(link)) { event.preventDefault(); }
      });
    });
  }

  function times() {
    document.querySelectorAll("[data-when]").forEach(function (box) {
      var kind = box.querySelector("select");
      function update() {
        box.querySelectorAll("[data-kind]").forEach(function (part) {
          part.hidden = part.dataset.kind.split(" ").indexOf(kind.value) < 0;
        });
      }
      kind.addEventListener("change", update);
      update();
    });
  }

  function chosen() {
    document.querySelectorAll("[data-chosen]").forEach(function (line) {
      var select = document.getElementById(line.dataset.chosen);
      var shown = line.querySelector("span");
      select.addEventListener("change", function () {
        var names = Array.prototype.filter.call(select.options, function (option) { return option.selected; })
          .map(function (option) { return option.textContent.trim(); });
        shown.textContent = names.length ? names.join("; ") : "—";
      });
    });
  }

  function suggestions() {
    document.querySelectorAll("button.apply[data-field]").forEach(function (button) {
      var select = document.getElementById(button.dataset.field);
      if (!select) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        select.querySelectorAll("option.written").forEach(function (option) { option.selected = false; });
        var option = Array.prototype.find.call(select.options, function (each) {
          return each.value === button.dataset.value;
        });
        if (option) { option.selected = true; }
        select.dispatchEvent(new Event("change"));
        select.focus();
      });
    });
  }

  sources();
  times();
  chosen();
  suggestions();
}());
