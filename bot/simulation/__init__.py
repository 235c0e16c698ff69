"""The simulator behind `tigerbird simulate`: a hidden world of true prompt appeal drawn from a
scenario file (optionally outside the policy's model: quality shapes, prompt taste, fatigue,
streaks, overdispersion, seasonality), the baseline and oracle policies (only the oracle reads
the truth), the day-by-day runner with common random numbers and a production-like holdout, and
the benchmark metrics (headroom, cold start, new-prompt discovery, the lift estimate's check)."""
