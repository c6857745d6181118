"""Documents Beeldwijs writes: Markdown and PDF (the parent letter, the self-scan report)."""
