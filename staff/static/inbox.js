// The inbox list without a reload: every few seconds fetch the rows (an HTML fragment, escaped by the server)
// and keep the countdowns ticking in between. Without scripts the page still has its refresh link.
(function () {
  "use strict";
  var table = document.getElementById("escalations");
  if (!table) { return; }
  var body = document.getElementById("rows");
  var updated = document.getElementById("updated");
  var fetchedAt = Date.now();

  function tick() {
    var gone = Math.floor((Date.now() - fetchedAt) / 1000);
    body.querySelectorAll("td.countdown").forEach(function (td) {
      var raw = td.getAttribute("data-seconds-left");
      if (!raw) { return; }
      var left = Number(raw) - gone;
      var text = left >= 0 ? table.dataset.left : table.dataset.over;
      td.textContent = text.replace("{minutes}", String(Math.floor(Math.abs(left) / 60)));
      td.classList.toggle("over", left < 0);
      td.parentElement.classList.toggle("overdue", left < 0);
    });
  }

  function poll() {
    fetch(table.dataset.rowsUrl, { credentials: "same-origin", redirect: "error" })
      .then(function (resp) {
        if (!resp.ok) { throw new Error(String(resp.status)); }
        return resp.text();
      })
      .then(function (html) {
        body.innerHTML = html;
        fetchedAt = Date.now();
        updated.textContent = table.dataset.updated.replace("{time}", new Date().toISOString().slice(11, 19));
      })
      .catch(function () { updated.textContent = table.dataset.stale; });
  }

  setInterval(poll, Number(table.dataset.pollMs) || 5000);
  setInterval(tick, 1000);
})();
