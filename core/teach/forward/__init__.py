"""Step through the forward pass: the ops in the order they ran, and what each did."""
