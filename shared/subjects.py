"""Every NATS subject, stream, consumer and KV bucket of the platform, named once.

Subjects carry the session id as a token so that a gateway replica can follow
one session with a single wildcard subscription (`prepai.out.{sid}.>`).

Inbound (towards the workers):
    prepai.turn.{sid}           JetStream TURNS (work queue): one user turn, or the session start
    prepai.control.{sid}        core: interrupt the reply in flight
    prepai.lifecycle.{sid}.{ev} JetStream LIFECYCLE: created, ended
    prepai.tools.>              core request/reply served by the tools service (queue group)

Outbound (towards the gateway that holds the socket):
    prepai.out.{sid}.chunk      core: streamed reply text
    prepai.out.{sid}.reply      JetStream REPLIES: the complete reply, once per turn
    prepai.out.{sid}.error      core: a turn could not be answered
"""

from __future__ import annotations

PREFIX = "prepai"

# Streams
TURNS_STREAM = "PREPAI_TURNS"
REPLIES_STREAM = "PREPAI_REPLIES"
LIFECYCLE_STREAM = "PREPAI_LIFECYCLE"

TURNS_SUBJECTS = [f"{PREFIX}.turn.*"]
REPLIES_SUBJECTS = [f"{PREFIX}.out.*.reply"]
LIFECYCLE_SUBJECTS = [f"{PREFIX}.lifecycle.*.*"]

# Durable consumers (shared by all replicas of a service: JetStream balances them)
AGENT_TURNS_CONSUMER = "agent-turns"

# KV buckets
TURN_LEASES_BUCKET = "prepai_turn_leases"

# Queue groups for core request/reply
TOOLS_QUEUE = "tools"


def turn(session_id: str) -> str:
    return f"{PREFIX}.turn.{session_id}"


def control(session_id: str) -> str:
    return f"{PREFIX}.control.{session_id}"


CONTROL_ALL = f"{PREFIX}.control.*"


def lifecycle(session_id: str, event: str) -> str:
    return f"{PREFIX}.lifecycle.{session_id}.{event}"


def out(session_id: str, kind: str) -> str:
    return f"{PREFIX}.out.{session_id}.{kind}"


def out_all(session_id: str) -> str:
    return f"{PREFIX}.out.{session_id}.>"


# Tools service (request/reply)
TOOLS_CODE_EXECUTE = f"{PREFIX}.tools.code.execute"
TOOLS_PROBLEMS_LIST = f"{PREFIX}.tools.problems.list"
TOOLS_PROBLEMS_GET = f"{PREFIX}.tools.problems.get"
TOOLS_CV_ANALYZE = f"{PREFIX}.tools.cv.analyze"
