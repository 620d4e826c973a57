"""Fakes of every device port, for tests and the demo; they pass the same contract tests as the real drivers."""
