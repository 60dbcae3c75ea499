// The reply box: the template picker fills it in place, and for SMS families the number of texts it will cost
// is counted as the visitor types. The count is bot/answers/gsm.py's (160/153 GSM-7, 70/67 UCS-2, extended
// characters cost two), with the character sets and look-alikes read from the page, which the server wrote
// from the same module; without script the picker reloads the page and "Count texts" asks the server.
(function () {
  "use strict";
  var box = document.getElementById("reply-text");
  if (!box) { return; }
  var picker = document.getElementById("reply-template");
  var use = document.getElementById("use-template");
  var out = document.getElementById("sms-count");

  function cost(text) {
    var basic = out.dataset.basic, extended = out.dataset.extended;
    var bad = [], units = 0, ch, i, chars = Array.from(text);
    for (i = 0; i < chars.length; i += 1) {
      ch = chars[i];
      if (basic.indexOf(ch) < 0 && extended.indexOf(ch) < 0 && bad.indexOf(ch) < 0) { bad.push(ch); }
    }
    if (bad.length) {
      units = text.length; // UTF-16 code units, as carriers count UCS-2
      return { units: units, segments: units === 0 ? 0 : units <= 70 ? 1 : Math.ceil(units / 67), bad: bad };
    }
    for (i = 0; i < chars.length; i += 1) { units += extended.indexOf(chars[i]) >= 0 ? 2 : 1; }
    return { units: units, segments: units === 0 ? 0 : units <= 160 ? 1 : Math.ceil(units / 153), bad: bad };
  }

  function toGsm(text) {
    var map = JSON.parse(out.dataset.lookalikes);
    return Array.from(text.normalize("NFC")).map(function (ch) {
      return Object.prototype.hasOwnProperty.call(map, ch) ? map[ch] : ch;
    }).join("");
  }

  function count() {
    var c = cost(toGsm(box.value));
    var words = document.getElementById("sms-segments");
    words.textContent = out.dataset.count.replace("{segments}", String(c.segments)).replace("{units}", String(c.units));
    words.dataset.encoding = c.bad.length ? "UCS-2" : "GSM-7";
    document.getElementById("sms-special").textContent =
      c.bad.length ? out.dataset.special.replace("{chars}", c.bad.join(" ")) : "";
    document.getElementById("sms-over").hidden = c.segments <= Number(out.dataset.max);
  }

  if (picker && use) {
    use.addEventListener("click", function (event) {
      var chosen = picker.options[picker.selectedIndex];
      event.preventDefault();
      if (!chosen || !chosen.value) { return; }
      box.value = chosen.dataset.text;
      box.focus();
      if (out) { count(); }
    });
  }
  if (out) {
    box.addEventListener("input", count);
    count();
  }
})();
