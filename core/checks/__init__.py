"""Checks on a scratch copy of the cell: gradient check, Jacobian, and the re-run they share."""
