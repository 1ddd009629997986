"""Execute: the action plan, without Django.

- ``qqoqccp`` — the seven questions an action answers, and the status workflow they gate;
- ``retroplanning`` — milestones dated backwards from a deadline, from templates;
- ``load`` — each owner's load per ISO week, and overloads;
- ``money`` — planned → committed → actual per action, rolled up by pole, channel and total;
- ``months`` — an action's money spread over the calendar months it runs in;
- ``triptych`` — a project's cost, delay and quality as green / amber / red;
- ``calendar`` — the plan as an iCalendar feed;
- ``task_imports`` — Asana, Trello, Monday.com and Notion exports read as action drafts.

Inputs and outputs are plain dataclasses; the web app (``pilotage.web.actions``) turns its
rows into them and back. See docs/execution.md.
"""
