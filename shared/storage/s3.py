"""S3 object store through boto3 (AWS, MinIO, SeaweedFS...).

Compare-and-set uses S3 conditional writes (`If-Match` / `If-None-Match: *`),
which AWS S3 and SeaweedFS honour; a 412 becomes PreconditionFailed.
"""

from __future__ import annotations

import asyncio
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from shared.storage.base import ObjectNotFound, PreconditionFailed, StorageError, StoredObject, validate_key

_NOT_FOUND = {"NoSuchKey", "404", "NotFound"}
_PRECONDITION = {"PreconditionFailed", "412", "ConditionalRequestConflict", "409"}


class S3ObjectStore:
    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        prefix: str = "",
        client: Any = None,
    ) -> None:
        if not bucket:
            raise StorageError("PREPAI_S3_BUCKET must name a bucket for the S3 storage backend")
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = client or boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            config=Config(retries={"max_attempts": 4, "mode": "standard"}, s3={"addressing_style": "path"}),
        )

    def _key(self, key: str) -> str:
        return self.prefix + validate_key(key)

    @staticmethod
    def _code(err: ClientError) -> str:
        return str(err.response.get("Error", {}).get("Code", ""))

    def _get(self, key: str) -> StoredObject:
        try:
            resp = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as err:
            if self._code(err) in _NOT_FOUND:
                raise ObjectNotFound(key) from None
            raise StorageError(f"S3 get {key!r}: {err}") from err
        return StoredObject(
            data=resp["Body"].read(),
            etag=resp["ETag"],
            content_type=resp.get("ContentType", "application/octet-stream"),
        )

    def _put(
        self, key: str, data: bytes, content_type: str, if_match: str | None, if_none_match: bool
    ) -> str:
        kwargs: dict[str, Any] = {}
        if if_match is not None:
            kwargs["IfMatch"] = if_match
        if if_none_match:
            kwargs["IfNoneMatch"] = "*"
        try:
            resp = self.client.put_object(
                Bucket=self.bucket, Key=self._key(key), Body=data, ContentType=content_type, **kwargs
            )
        except ClientError as err:
            code = self._code(err)
            if code in _PRECONDITION or (if_match is not None and code in _NOT_FOUND):
                raise PreconditionFailed(key) from None
            raise StorageError(f"S3 put {key!r}: {err}") from err
        return str(resp["ETag"])

    def _delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def _list(self, prefix: str) -> list[str]:
        keys: list[str] = []
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + prefix):
            keys.extend(obj["Key"][len(self.prefix) :] for obj in page.get("Contents", []))
        return sorted(keys)

    async def get(self, key: str) -> StoredObject:
        return await asyncio.to_thread(self._get, key)

    async def put(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str = "application/octet-stream",
        if_match: str | None = None,
        if_none_match: bool = False,
    ) -> str:
        return await asyncio.to_thread(self._put, key, data, content_type, if_match, if_none_match)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._delete, key)

    async def list(self, prefix: str) -> list[str]:
        return await asyncio.to_thread(self._list, prefix)
