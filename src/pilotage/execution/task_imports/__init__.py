"""Import the tasks of Asana, Trello, Monday.com and Notion exports as action drafts.

``read_tasks(data, name)`` detects the tool from the header, reads every row with the
tool's column preset (which ``mapping`` overrides) and returns a ``TaskImport`` whose
``drafts`` are ``ActionDraft`` objects — or raises ``Rejected`` listing every bad cell with
file, line, column, value and what was expected. Nothing is saved here.
"""

from pilotage.execution.task_imports import asana, monday, notion, trello  # noqa: F401
from pilotage.execution.task_imports.base import (
    FIELDS,
    MESSAGES,
    TOOLS,
    VOCABULARY,
    ActionDraft,
    TaskImport,
    TaskProblem,
    Tool,
    detect_tool,
    parse_money,
    read_tasks,
    register,
    split_range,
)

__all__ = [
    "FIELDS",
    "MESSAGES",
    "TOOLS",
    "VOCABULARY",
    "ActionDraft",
    "TaskImport",
    "TaskProblem",
    "Tool",
    "detect_tool",
    "parse_money",
    "read_tasks",
    "register",
    "split_range",
]
