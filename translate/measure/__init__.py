"""Measuring, outside the runtime path: `translate eval`, `translate bench` and the repair evaluation."""
