"""The Word side: the template library, the sandboxed render, the compiled fast path, template checks."""
