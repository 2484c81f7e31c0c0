"""The training lab: its panel, the worker thread that trains, and the live plots."""
