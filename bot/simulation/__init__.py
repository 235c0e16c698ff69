"""The simulator behind `tigerbird simulate`: a hidden world of true prompt appeal drawn from a
scenario file, the baseline and oracle policies, the day-by-day runner with common random
numbers, and the benchmark metrics (headroom, cold start)."""
