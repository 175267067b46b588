"""rules: the durable_rules engine, rule definitions as data, statuses and alerts."""
