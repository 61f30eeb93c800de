// The little the pages need from a script: evidence uploads with a progress bar, and the BPMN diagram.
(function () {
  "use strict";

  function uploads() {
    var input = document.getElementById("upload-file");
    if (!input) { return; }
    var bar = document.getElementById("upload-progress");
    var status = document.getElementById("upload-status");
    input.addEventListener("change", function () {
      var file = input.files[0];
      if (!file) { return; }
      var body = new FormData();
      body.append("file", file, file.name);
      var request = new XMLHttpRequest();
      request.open("POST", input.dataset.uploadUrl);
      request.setRequestHeader("X-CSRF-Token", input.dataset.csrf);
      request.setRequestHeader("Accept-Language", document.documentElement.lang);
      bar.hidden = false;
      bar.value = 0;
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) { bar.value = Math.round(event.loaded / event.total * 100); }
      });
      request.addEventListener("load", function () {
        var answer = {};
        try { answer = JSON.parse(request.responseText); } catch (ignored) { answer = {}; }
        if (request.status === 201) {
          bar.value = 100;
          status.textContent = "✓ " + answer.file_name;
          var list = document.querySelector("[data-evidence-list]");
          if (list) {
            var none = list.querySelector(".none");
            if (none) { none.remove(); }
            var item = document.createElement("li");
            var label = document.createElement("label");
            var box = document.createElement("input");
            box.type = "checkbox";
            box.name = list.dataset.evidenceList;
            box.value = answer.id;
            box.checked = true;
            label.appendChild(box);
            label.appendChild(document.createTextNode(" " + answer.file_name));
            item.appendChild(label);
            list.appendChild(item);
          }
        } else {
          bar.hidden = true;
          status.textContent = "✗ " + (answer.detail || request.statusText);
        }
        input.value = "";
      });
      request.addEventListener("error", function () {
        bar.hidden = true;
        status.textContent = "✗ " + request.statusText;
      });
      request.send(body);
    });
  }

  function diagram() {
    var box = document.getElementById("diagram");
    if (!box || !window.BpmnJS) { return; }
    var viewer = new window.BpmnJS({ container: box });
    fetch(box.dataset.source, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        var canvas = viewer.get("canvas");
        var registry = viewer.get("elementRegistry");
        canvas.zoom("fit-viewport");
        JSON.parse(box.dataset.done).forEach(function (id) {
          if (registry.get(id)) { canvas.addMarker(id, "done"); }
        });
        JSON.parse(box.dataset.active).forEach(function (id) {
          if (registry.get(id)) { canvas.addMarker(id, "current"); }
        });
        box.dataset.rendered = "true";
      })
      .catch(function (error) { box.textContent = String(error); });
  }

  document.addEventListener("DOMContentLoaded", function () { uploads(); diagram(); });
}());
