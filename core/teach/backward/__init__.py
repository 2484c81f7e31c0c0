"""The backward pass recorded one grad_fn node at a time, for the stepper to walk."""
