"""The STT's logic without transport or model: turn-taking, what words say about a turn, prompt biasing."""
