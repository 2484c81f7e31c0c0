"""The training lab's engine: seed tasks, a stepping trainer and its metrics. No Qt.

- catalog: the tasks as data; tasks, user_task: building and stepping them;
  task_state: what a built task holds
- classifier_task, toy_data, classifier_settings, classifier_report, classifier_code:
  the classifiers on toy data, their picture of the plane, and their code for the editor
- trainer: one run, its reports (metrics) and halts (halt); trace, buffers,
  graph_snapshot: what a report carries
- settings: the lab's settings, their defaults and the rules they follow
- run_state: where a run stands and what it accepts
- pacing, step_rate: the training's speed; frame_pacing: the plots' frames
- readout: the progress line and the parameters' readout as text
"""
