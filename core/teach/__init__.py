"""Teaching aids: why a grad is None and its fixes, lessons, and the backward pass step by step."""
