"""Every NATS subject, stream, consumer and KV bucket of the platform, named once.

Subjects carry the session id as a token so that a gateway replica can follow
one session with a single wildcard subscription (`prepai.out.{sid}.>`).

Inbound (towards the workers):
    prepai.turn.{sid}           JetStream TURNS (work queue): one user turn, or the session start
    prepai.control.{sid}        core: interrupt the reply in flight (the gateway's word, heard text included)
    prepai.lifecycle.{sid}.{ev} JetStream LIFECYCLE: created, ended
    prepai.tools.>              core request/reply served by the tools service (queue group)
    prepai.audio.{sid}          JetStream AUDIO: the candidate's audio frames, per socket, in order
    prepai.voice.{sid}          JetStream VOICE (work queue): a socket started sending audio; one STT takes it
    prepai.playback.{sid}       core: what the client is playing (the STT tells echo from speech with it)
    prepai.speculate.{sid}      core: words so far / a likely end of turn, before the turn is certain
    prepai.speak.{sid}          JetStream SPEECH (work queue): one reply sentence to synthesise

Outbound (towards the gateway that holds the socket):
    prepai.out.{sid}.chunk      core: streamed reply text
    prepai.out.{sid}.reply      JetStream REPLIES: the complete reply, once per turn
    prepai.out.{sid}.error      core: a turn could not be answered
    prepai.out.{sid}.transcript core: the candidate's words, partial and final (STT)
    prepai.out.{sid}.audio      core: one synthesised sentence (TTS)
    prepai.out.{sid}.bargein    core: the candidate spoke over the interviewer (STT)

Analytics:
    prepai.metrics.{sid}        JetStream METRICS: each turn's stage latencies
    prepai.report.{sid}         JetStream REPORTS: a session's performance report was written (evaluator)
    prepai.analytics.>          core request/reply served by the analytics service (queue group)
"""

from __future__ import annotations

PREFIX = "prepai"

# Streams
TURNS_STREAM = "PREPAI_TURNS"
REPLIES_STREAM = "PREPAI_REPLIES"
LIFECYCLE_STREAM = "PREPAI_LIFECYCLE"
AUDIO_STREAM = "PREPAI_AUDIO"
VOICE_STREAM = "PREPAI_VOICE"
SPEECH_STREAM = "PREPAI_SPEECH"
METRICS_STREAM = "PREPAI_METRICS"
REPORTS_STREAM = "PREPAI_REPORTS"

TURNS_SUBJECTS = [f"{PREFIX}.turn.*"]
REPLIES_SUBJECTS = [f"{PREFIX}.out.*.reply"]
LIFECYCLE_SUBJECTS = [f"{PREFIX}.lifecycle.*.*"]
AUDIO_SUBJECTS = [f"{PREFIX}.audio.*"]
VOICE_SUBJECTS = [f"{PREFIX}.voice.*"]
SPEECH_SUBJECTS = [f"{PREFIX}.speak.*"]
METRICS_SUBJECTS = [f"{PREFIX}.metrics.*"]
REPORTS_SUBJECTS = [f"{PREFIX}.report.*"]

# Durable consumers (shared by all replicas of a service: JetStream balances them)
AGENT_TURNS_CONSUMER = "agent-turns"
STT_CLAIMS_CONSUMER = "stt-claims"
TTS_SENTENCES_CONSUMER = "tts-sentences"
EVALUATOR_CONSUMER = "tools-evaluator"  # session ends (LIFECYCLE) -> the report
ANALYTICS_REPORTS_CONSUMER = "analytics-reports"
ANALYTICS_METRICS_CONSUMER = "analytics-metrics"

# KV buckets
TURN_LEASES_BUCKET = "prepai_turn_leases"
STT_PROGRESS_BUCKET = "prepai_stt_progress"  # per socket: where the current utterance starts in the audio

# Queue groups for core request/reply
TOOLS_QUEUE = "tools"


def turn(session_id: str) -> str:
    return f"{PREFIX}.turn.{session_id}"


def control(session_id: str) -> str:
    return f"{PREFIX}.control.{session_id}"


CONTROL_ALL = f"{PREFIX}.control.*"


def lifecycle(session_id: str, event: str) -> str:
    return f"{PREFIX}.lifecycle.{session_id}.{event}"


def audio(session_id: str) -> str:
    return f"{PREFIX}.audio.{session_id}"


def voice_claim(session_id: str) -> str:
    return f"{PREFIX}.voice.{session_id}"


def playback(session_id: str) -> str:
    return f"{PREFIX}.playback.{session_id}"


PLAYBACK_ALL = f"{PREFIX}.playback.*"


def speculate(session_id: str) -> str:
    return f"{PREFIX}.speculate.{session_id}"


SPECULATE_ALL = f"{PREFIX}.speculate.*"


def speak(session_id: str) -> str:
    return f"{PREFIX}.speak.{session_id}"


def metrics(session_id: str) -> str:
    return f"{PREFIX}.metrics.{session_id}"


def report(session_id: str) -> str:
    return f"{PREFIX}.report.{session_id}"


def out(session_id: str, kind: str) -> str:
    return f"{PREFIX}.out.{session_id}.{kind}"


def out_all(session_id: str) -> str:
    return f"{PREFIX}.out.{session_id}.>"


# Tools service (request/reply)
TOOLS_CODE_EXECUTE = f"{PREFIX}.tools.code.execute"
TOOLS_PROBLEMS_LIST = f"{PREFIX}.tools.problems.list"
TOOLS_PROBLEMS_GET = f"{PREFIX}.tools.problems.get"
TOOLS_CV_ANALYZE = f"{PREFIX}.tools.cv.analyze"


# Analytics service (request/reply, queue group: any replica answers from the shared database)
ANALYTICS_QUEUE = "analytics"
ANALYTICS_AGGREGATE = f"{PREFIX}.analytics.aggregate"
ANALYTICS_BENCHMARKS = f"{PREFIX}.analytics.benchmarks"
ANALYTICS_TRENDS = f"{PREFIX}.analytics.trends"
ANALYTICS_HISTORY = f"{PREFIX}.analytics.history"
ANALYTICS_VOICE_LATENCY = f"{PREFIX}.analytics.voice_latency"
