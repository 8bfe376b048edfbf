"""Scripts that run inside the sandbox (copied into each task folder; they import nothing of ours)."""
