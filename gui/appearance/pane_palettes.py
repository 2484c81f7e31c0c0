"""The light colours the panes start with, as plain data: the themes build on them."""

from __future__ import annotations

# The editor's Python syntax, by kind of token.
LIGHT_SYNTAX = {
    "keyword": "#0033b3",
    "builtin": "#7a3e9d",
    "torch": "#00627a",
    "number": "#1750eb",
    "string": "#067d17",
    "comment": "#6e6e6e",
    "decorator": "#7a6a00",
    "definition": "#00627a",
}

# The output pane's text, by kind of output; None: the palette's own text colour.
LIGHT_OUTPUT = {
    "header": "#6b6b6b",
    "stdout": None,
    "stderr": "#b35900",
    "display": "#1f5fbf",
    "error": "#d62728",
    "info": "#6b6b6b",
}

# The inspector's page: dimmed text, statistics, problems and links.
LIGHT_INSPECTOR = {"muted": "#666666", "stats": "#444444", "bad": "#d62728", "link": "#1f5fbf"}
