"""The storage contract, run against both backends: the local folder and a real S3 server (SeaweedFS)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import boto3
import pytest
from pydantic import BaseModel

from shared.storage import (
    InvalidKey,
    ObjectNotFound,
    ObjectStore,
    PreconditionFailed,
    read_model,
    update_model,
    write_model,
)
from shared.storage.local import LocalObjectStore
from shared.storage.s3 import S3ObjectStore
from tests.servers import S3_ACCESS_KEY, S3_SECRET_KEY


def s3_client(endpoint: str):  # type: ignore[no-untyped-def]
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3_ACCESS_KEY,
        aws_secret_access_key=S3_SECRET_KEY,
        region_name="us-east-1",
    )


@pytest.fixture(params=["local", "s3"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ObjectStore]:
    if request.param == "local":
        yield LocalObjectStore(tmp_path / "objects")
        return
    endpoint = request.getfixturevalue("s3_endpoint")
    client = s3_client(endpoint)
    bucket = f"prepai-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    yield S3ObjectStore(bucket, client=client, prefix="test")


class Counter(BaseModel):
    value: int = 0
    writers: list[str] = []


async def test_put_get_roundtrip_and_etag_changes(store: ObjectStore) -> None:
    first = await store.put("sessions/a.json", b'{"x": 1}', content_type="application/json")
    obj = await store.get("sessions/a.json")
    assert obj.data == b'{"x": 1}'
    assert obj.etag == first
    second = await store.put("sessions/a.json", b'{"x": 2}')
    assert second != first


async def test_missing_object(store: ObjectStore) -> None:
    with pytest.raises(ObjectNotFound):
        await store.get("sessions/none.json")
    await store.delete("sessions/none.json")  # deleting nothing is fine


async def test_conditional_writes(store: ObjectStore) -> None:
    etag = await store.put("cvs/s1/cv.pdf", b"v1", if_none_match=True)
    with pytest.raises(PreconditionFailed):
        await store.put("cvs/s1/cv.pdf", b"v2", if_none_match=True)
    with pytest.raises(PreconditionFailed):
        await store.put("cvs/s1/cv.pdf", b"v2", if_match="not-the-etag")
    await store.put("cvs/s1/cv.pdf", b"v2", if_match=etag)
    assert (await store.get("cvs/s1/cv.pdf")).data == b"v2"


async def test_list_by_prefix_and_delete(store: ObjectStore) -> None:
    for key in ("sessions/1.json", "sessions/2.json", "reports/1/r.json"):
        await store.put(key, b"{}")
    assert await store.list("sessions/") == ["sessions/1.json", "sessions/2.json"]
    await store.delete("sessions/1.json")
    assert await store.list("sessions/") == ["sessions/2.json"]
    assert await store.list("reports/") == ["reports/1/r.json"]


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a/../../b", "", "sessions//x", "bad key"])
async def test_rejects_unsafe_keys(store: ObjectStore, key: str) -> None:
    with pytest.raises(InvalidKey):
        await store.put(key, b"x")


async def test_concurrent_updates_lose_nothing(store: ObjectStore) -> None:
    """Twenty writers increment one record at once; compare-and-set keeps every increment."""
    await write_model(store, "sessions/counter.json", Counter())

    async def increment(name: str) -> None:
        def bump(current: Counter) -> Counter:
            current.value += 1
            current.writers.append(name)
            return current

        await update_model(store, "sessions/counter.json", Counter, bump, attempts=200)

    await asyncio.gather(*(increment(f"w{i}") for i in range(20)))
    final, _ = await read_model(store, "sessions/counter.json", Counter)
    assert final.value == 20
    assert sorted(final.writers) == sorted(f"w{i}" for i in range(20))
