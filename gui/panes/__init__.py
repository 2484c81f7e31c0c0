"""The editor and the panes around it: output, inspector, variables."""
