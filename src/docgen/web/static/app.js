// docgen serve: the page's little script. Without it the forms still post; with it the workbook is read
// as soon as it is chosen, and a batch run's page follows its progress.
"use strict";

function csrf() {
  return document.querySelector('meta[name="csrf"]').content;
}

function readWorkbook(form) {
  const reading = document.getElementById("reading");
  const button = document.getElementById("inspect");
  if (!form.workbook.files.length) return;
  button.disabled = true;
  reading.textContent = document.getElementById("working").textContent;
  fetch("/report/inspect", { method: "POST", body: new FormData(form), headers: { "X-CSRF-Token": csrf() } })
    .then((response) => response.text())
    .then((html) => { reading.innerHTML = html; })
    .catch((error) => { reading.textContent = String(error); })
    .finally(() => { button.disabled = false; });
}

function reportPage() {
  const form = document.getElementById("report-form");
  if (!form) return;
  form.workbook.addEventListener("change", () => readWorkbook(form));
  document.getElementById("inspect").addEventListener("click", () => readWorkbook(form));
  form.addEventListener("submit", () => {
    document.getElementById("make").disabled = true;
    document.getElementById("working").hidden = false;
  });
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => (name in values ? values[name] : ""));
}

function runPage() {
  const card = document.getElementById("run");
  if (!card || card.dataset.state !== "running") return;
  const poll = () => {
    fetch("/batch/" + card.dataset.run + "/status")
      .then((response) => response.json())
      .then((status) => {
        const bar = document.getElementById("bar");
        bar.max = status.total || 1;
        bar.value = status.done;
        document.getElementById("count").textContent = fill(card.dataset.progress, status);
        const rows = document.querySelector("#failures tbody");
        rows.replaceChildren(...status.failures.map((failure) => {
          const row = document.createElement("tr");
          for (const text of [failure.record, failure.reason]) {
            const cell = document.createElement("td");
            cell.textContent = text;
            row.append(cell);
          }
          return row;
        }));
        document.getElementById("made").replaceChildren(...status.made.map((name) => {
          const item = document.createElement("li");
          item.textContent = name;
          return item;
        }));
        if (status.state === "running") {
          setTimeout(poll, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(() => setTimeout(poll, 3000));
  };
  poll();
}

function dropAreas() {
  for (const area of document.querySelectorAll(".drop")) {
    const input = area.querySelector("input[type=file]");
    area.addEventListener("dragover", (event) => { event.preventDefault(); area.classList.add("over"); });
    area.addEventListener("dragleave", () => area.classList.remove("over"));
    area.addEventListener("drop", (event) => {
      event.preventDefault();
      area.classList.remove("over");
      input.files = event.dataTransfer.files;
      input.dispatchEvent(new Event("change"));
    });
  }
}

document.addEventListener("DOMContentLoaded", () => { dropAreas(); reportPage(); runPage(); });
