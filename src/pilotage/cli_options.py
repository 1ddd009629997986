"""Options shared by several commands of the command line."""

from __future__ import annotations

import click


def language_option(help_text: str):
    """``--language en|fr`` (default ``en``): the language of what the command says."""
    return click.option(
        "--language",
        type=click.Choice(["en", "fr"]),
        default="en",
        show_default=True,
        help=help_text,
    )
