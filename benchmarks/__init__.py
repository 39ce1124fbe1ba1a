"""Benchmarks and the synthetic corpus they build (`python -m benchmarks.synth`); not part of the gongkai package."""
