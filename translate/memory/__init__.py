"""What the pipeline remembers: the segment cache (machine output), the TM (approved pairs), TMX exchange."""
