/* Pilotage page behaviour: charts (vega-embed), the workspace switcher, the language form. */
(function () {
  "use strict";

  // d3 locale definitions, so chart numbers and months follow the page's language.
  var LOCALES = {
    fr: {
      format: { decimal: ",", thousands: "\u202f", grouping: [3], currency: ["", "\u00a0€"] },
      time: {
        dateTime: "%A %e %B %Y à %X", date: "%d/%m/%Y", time: "%H:%M:%S", periods: ["", ""],
        days: ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
        shortDays: ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
        months: ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                 "septembre", "octobre", "novembre", "décembre"],
        shortMonths: ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
                      "sept.", "oct.", "nov.", "déc."]
      }
    },
    en: {
      format: { decimal: ".", thousands: ",", grouping: [3], currency: ["€", ""] },
      time: {
        dateTime: "%x, %X", date: "%-m/%-d/%Y", time: "%-I:%M:%S %p", periods: ["AM", "PM"],
        days: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        shortDays: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        months: ["January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December"],
        shortMonths: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                      "Nov", "Dec"]
      }
    }
  };

  function renderCharts(root) {
    var lang = (document.documentElement.lang || "en").slice(0, 2);
    var locale = LOCALES[lang] || LOCALES.en;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var spec = JSON.parse(document.getElementById(el.dataset.chart).textContent);
      window.vegaEmbed(el, spec, {
        actions: false, renderer: "svg",
        formatLocale: locale.format, timeFormatLocale: locale.time
      }).then(function () { el.dataset.rendered = "true"; })
        .catch(function (err) { console.error("chart " + el.id + ": " + err); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    renderCharts(document);
    document.querySelectorAll("select[data-navigate]").forEach(function (select) {
      select.addEventListener("change", function () { window.location.assign(select.value); });
    });
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (!window.confirm(form.dataset.confirm)) { e.preventDefault(); }
      });
    });
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    // import page: files dropped on the zone go into its file input
    document.querySelectorAll("[data-dropzone]").forEach(function (zone) {
      var input = zone.querySelector("input[type=file]");
      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
      });
      zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
      zone.addEventListener("drop", function (e) {
        e.preventDefault();
        zone.classList.remove("over");
        if (input && e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; }
      });
    });
  });
  document.addEventListener("htmx:afterSettle", function (event) { renderCharts(event.detail.elt); });
})();
