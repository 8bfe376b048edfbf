"""Storage: one `ObjectStore` port, a local-folder and an S3 adapter, and JSON helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel
from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_incrementing,
    wait_random,
)

from shared.config import Settings
from shared.storage.base import (
    InvalidKey,
    ObjectNotFound,
    ObjectStore,
    PreconditionFailed,
    StorageError,
    StoredObject,
)

__all__ = [
    "InvalidKey",
    "ObjectNotFound",
    "ObjectStore",
    "PreconditionFailed",
    "StorageError",
    "StoredObject",
    "create_store",
    "read_model",
    "update_model",
    "write_model",
]

M = TypeVar("M", bound=BaseModel)
JSON = "application/json"


def create_store(settings: Settings) -> ObjectStore:
    if settings.storage_backend == "s3":
        from shared.storage.s3 import S3ObjectStore

        return S3ObjectStore(
            settings.s3_bucket,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            prefix=settings.s3_prefix,
        )
    from shared.storage.local import LocalObjectStore

    return LocalObjectStore(settings.objects_dir)


async def read_model(store: ObjectStore, key: str, model: type[M]) -> tuple[M, str]:
    """The object at `key` parsed as `model`, with its etag for a later CAS write."""
    obj = await store.get(key)
    return model.model_validate_json(obj.data), obj.etag


async def write_model(store: ObjectStore, key: str, value: BaseModel, *, create_only: bool = False) -> str:
    return await store.put(
        key, value.model_dump_json().encode(), content_type=JSON, if_none_match=create_only
    )


async def update_model(
    store: ObjectStore,
    key: str,
    model: type[M],
    mutate: Callable[[M], M | None],
    *,
    attempts: int = 20,
) -> M:
    """Read-modify-write with compare-and-set, retried on conflict.

    `mutate` gets the current value and returns the new one (or None to leave
    the object as it is). It may run several times, so it must not have side
    effects outside the value it returns.
    """
    # Jittered, growing waits so that racing writers stop colliding; after `attempts` the conflict is raised.
    async for attempt in AsyncRetrying(
        retry=retry_if_exception_type(PreconditionFailed),
        wait=wait_random(0, 0.005) + wait_incrementing(0, 0.005),
        stop=stop_after_attempt(attempts),
        reraise=True,
    ):
        with attempt:
            current, etag = await read_model(store, key, model)
            updated = mutate(current)
            if updated is None:
                return current
            await store.put(key, updated.model_dump_json().encode(), content_type=JSON, if_match=etag)
            return updated
    raise AssertionError("unreachable: tenacity re-raises the last conflict")
