"""Many reports at once: one report, batches, mail merge, their records and manifest."""
