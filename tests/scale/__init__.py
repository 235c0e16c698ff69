"""Scale and speed: rate-limited fakes and the CI-sized versions of the benchmarks."""
