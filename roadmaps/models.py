"""Roadmaps close the gap between level and ambition; the models arrive with the roadmap work."""
