"""Local fakes of external services used by the tests and benchmarks (no network access)."""
