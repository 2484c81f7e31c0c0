"""The autograd graph as plain data: extracted from grad_fn nodes, summarized, folded."""
