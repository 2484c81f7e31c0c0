"""Running the user's cell: the evaluator, its line table, captured output, threads and guards."""
