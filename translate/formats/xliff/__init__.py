"""XLIFF 1.2 and 2.1 for CAT tools: written, and read back after review, in one place."""
