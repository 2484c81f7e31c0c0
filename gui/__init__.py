"""Autograd Playground's Qt side: thin widgets driven by the objects in core/."""
