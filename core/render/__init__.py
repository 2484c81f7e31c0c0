"""Drawing the graph: labels, inline values, DOT text, the layout engine, export to files."""
