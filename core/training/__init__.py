"""The training lab's engine: seed tasks, a stepping trainer and its metrics. No Qt."""
