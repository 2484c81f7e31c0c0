"""Teaching tools: grad-None fixes, backward stepper, lessons, gradient check and Jacobian."""
