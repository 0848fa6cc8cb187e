"""What the pipeline remembers: the segment cache (machine output), the TM (approved pairs), TMX exchange."""

REVIEWED = ("review", "approved")  # origins of pairs an editor signed off: never replaced unasked by less
