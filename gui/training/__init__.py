"""The training lab's window side; the rules it follows live in core/training.

- panel: the lab itself, building its buttons and status row and forwarding
- settings_form: the settings' fields, their grid and their folded summary
- summary_button, status_labels: the summary line, the readout and the message
- worker: the thread that trains, driven by commands
- plots, plot_presentation, plot_ranges, live_curve, log_axis: the live plots
"""
