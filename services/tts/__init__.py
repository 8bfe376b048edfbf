"""The TTS service: one WAV per reply sentence, from a JetStream work queue any replica may take from."""
