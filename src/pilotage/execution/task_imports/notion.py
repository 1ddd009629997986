"""Notion: a database exported with *••• → Export → Markdown & CSV* (the CSV inside the zip).

UTF-8 with a byte-order mark, comma-separated, one column per property under the names the
user gave them; the presets cover Notion's task templates in English and French (``Name``,
``Status``, ``Assignee``, ``Date``/``Due``, ``Tags``, ``Blocked by``…). Dates follow the
user's date format: ``March 1, 2025``, ``01/03/2025``, ``2025/03/01``, with a time
(``March 1, 2025 10:00 AM``) and a range written ``March 1, 2025 → March 15, 2025``.
Numbers keep their format (``€1,200.00``). Relations are written ``Title
(https://www.notion.so/…)``; the address is dropped and the title resolved within the file.

Notion's CSV has no page id, so the idempotence key is a hash of the title, dates and
section — re-importing the same rows gives the same keys; renaming a task makes a new one.
A ``Done`` checkbox (``Yes``/``No``), when present, marks done tasks.
"""

from __future__ import annotations

from pilotage.execution.task_imports.base import TRAILING_PARENS, Tool, register


@register
class Notion(Tool):
    name = "notion"
    label = "Notion"
    preset = {
        "id": ("ID",),
        "title": ("Name", "Nom", "Task name", "Task", "Title", "Titre", "Tâche"),
        "description": ("Description", "Notes"),
        "owner": ("Assignee", "Assign", "Owner", "Person", "Assigné à", "Responsable"),
        "status": ("Status", "Statut", "État"),
        "completed": ("Done", "Fait"),
        "dates": ("Date", "Dates"),
        "start": ("Start", "Start date", "Date de début"),
        "due": ("Due", "Due date", "Deadline", "Échéance"),
        "tags": ("Tags", "Étiquettes", "Labels"),
        "section": ("Project", "Projet"),
        "dependencies": ("Blocked by", "Bloqué par", "Dependencies"),
        "budget": ("Budget", "Cost", "Coût"),
        "parent": ("Parent item", "Parent task", "Tâche parente"),
    }
    weak_hints = ("Assignee", "Assign", "Assigné à")
    hints = (
        "Created time",
        "Last edited time",
        "Created by",
        "Last edited by",
        "Date de création",
        "Dernière modification",
        "Blocked by",
        "Bloqué par",
        "Parent item",
        "Sub-item",
    )

    def clean_reference(self, reference: str) -> str:
        return TRAILING_PARENS.sub("", reference).strip()

    def clean_section(self, section: str) -> str:
        return self.clean_reference(section)
