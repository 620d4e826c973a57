"""Benchmarks that need a real broker use the integration tests' mosquitto fixture."""

from tests.integration.conftest import mosquitto

__all__ = ["mosquitto"]
