"""The figures and the words: analysis, narrative, the template context, checks and review."""
