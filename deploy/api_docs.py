"""The platform's API documents, generated from the code:

- `asyncapi.json`: every NATS subject each service subscribes to or publishes, with the message
  schemas (the pydantic events and contracts of `shared/`), request/reply answers included;
- `openapi.json`: the gateway's REST API and the WebSocket's messages (also served at /openapi.json).

`make docs` writes both into `docs/` (`.venv/bin/python -m deploy.api_docs docs`). Each service's
application is built the way its bootstrap builds it (nothing connects), so what they describe is
what runs.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_type_hints

from faststream.specification import AsyncAPI
from pydantic import TypeAdapter

from services.agent.bootstrap import create_app as create_agent
from services.analytics import handlers as analytics_handlers
from services.analytics.bootstrap import create_app as create_analytics
from services.gateway.bootstrap import create_app as create_gateway
from services.gateway.bus import declare_publishers
from services.stt.bootstrap import create_app as create_stt
from services.tools import handlers as tools_handlers
from services.tools.bootstrap import create_app as create_tools
from services.tts.bootstrap import create_app as create_tts
from shared.config import Settings
from shared.messaging import make_broker

DESCRIPTION = """\
PrepAI's services talk over NATS (JetStream for turns, replies and session lifecycle; core NATS for
streamed chunks, interrupts and the tools' request/reply). Subjects carry the session id as a token
(`{session_id}`). Each service is listed by the subjects it consumes (operations `receive`) and those it
publishes (`send`); see shared/subjects.py for the streams and consumers.
"""


def asyncapi_document(settings: Settings | None = None) -> dict[str, Any]:
    settings = settings or Settings(llm_provider="scripted")  # no model is loaded to describe the agent
    gateway = make_broker(settings, "gateway")
    declare_publishers(gateway)
    brokers = [
        gateway,
        create_agent(settings).broker,
        create_tools(settings).broker,
        create_stt(settings).broker,
        create_tts(settings).broker,
        create_analytics(settings).broker,
    ]
    spec = AsyncAPI(
        *(broker for broker in brokers if broker is not None),
        title="PrepAI messaging",
        version="1.0",
        description=DESCRIPTION,
    )
    document: dict[str, Any] = json.loads(spec.to_specification().to_json())
    add_replies(document, tools_handlers.ENDPOINTS | analytics_handlers.ENDPOINTS)
    return document


def add_replies(document: dict[str, Any], endpoints: dict[str, Callable[..., Any]]) -> None:
    """FastStream documents what a request/reply handler receives, not what it answers: add AsyncAPI 3
    `reply` objects whose payload is the JSON schema of each handler's return annotation."""
    channels = {channel["address"]: name for name, channel in document["channels"].items()}
    components = document["components"]
    for subject, handler in endpoints.items():
        reply_type = get_type_hints(handler)["return"]
        schema = TypeAdapter(reply_type).json_schema(
            mode="serialization", ref_template="#/components/schemas/{model}"
        )
        components["schemas"].update(schema.pop("$defs", {}))
        name = reply_type.__name__
        components["schemas"][name] = schema
        components["messages"][name] = {"title": name, "payload": {"$ref": f"#/components/schemas/{name}"}}
        channel = channels[subject]
        document["operations"][channel]["reply"] = {
            "address": {"location": "$message.header#/reply_to", "description": "the requester's inbox"},
            "messages": [{"$ref": f"#/components/messages/{name}"}],
        }


def openapi_document(settings: Settings | None = None) -> dict[str, Any]:
    return create_gateway(settings or Settings()).openapi()


def main() -> None:
    parser = argparse.ArgumentParser(description="Write the platform's AsyncAPI and OpenAPI documents.")
    parser.add_argument("folder", type=Path, nargs="?", default=Path("docs"))
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    for name, document in (("asyncapi.json", asyncapi_document()), ("openapi.json", openapi_document())):
        (args.folder / name).write_text(json.dumps(document, indent=2) + "\n")
        print(f"wrote {args.folder / name}")


if __name__ == "__main__":
    main()
