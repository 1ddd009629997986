"""Asana: a project exported with *Export/Print → CSV*.

Columns (English whatever the UI language): ``Task ID, Created At, Completed At, Last
Modified, Name, Section/Column, Assignee, Assignee Email, Start Date, Due Date, Tags, Notes,
Projects, Parent task, Blocked By (Dependencies), Blocking (Dependencies)``, then one column
per custom field (``Budget``, ``Status``, ``Priority``…). Dates are ISO (``2025-03-14``).

Mapping: a non-empty *Completed At* means done; otherwise a ``Status`` custom field if the
project has one, else the section name when it is a status word ("In progress", "Done"),
else planned. *Blocked By* lists task ids (of this file, or of other projects: those are
left out with a warning). Subtasks come as rows of their own with *Parent task* set; they
are imported as actions too, with ``parent`` saying whose subtask they are.
"""

from __future__ import annotations

from pilotage.execution.task_imports.base import Tool, register


@register
class Asana(Tool):
    name = "asana"
    label = "Asana"
    preset = {
        "id": ("Task ID",),
        "title": ("Name", "Task Name"),
        "description": ("Notes",),
        "owner": ("Assignee",),
        "owner_email": ("Assignee Email",),
        "status": ("Status",),
        "completed": ("Completed At",),
        "start": ("Start Date",),
        "due": ("Due Date",),
        "tags": ("Tags",),
        "section": ("Section/Column",),
        "dependencies": ("Blocked By (Dependencies)",),
        "budget": ("Budget", "Cost", "Coût"),
        "parent": ("Parent task",),
    }
    hints = (
        "Task ID",
        "Created At",
        "Completed At",
        "Last Modified",
        "Section/Column",
        "Assignee Email",
        "Projects",
        "Parent task",
        "Blocked By (Dependencies)",
        "Blocking (Dependencies)",
    )
