"""The numpy all-MiniLM-L6-v2 encoder on the real packaged model (no fakes); about 2 s in all.

What is checked against an outside reference: the similarity matrix that sentence-transformers publishes
in its README/quickstart for this model ("The weather is lovely today." / "It's so sunny outside!" /
"He drove to the stadium.": 0.6660, 0.1046, 0.1411), reproduced to 1e-3 (in fact to 4 decimals), which
only the whole path (tokenizer settings, weights, attention mask, erf-GELU, mean pooling, normalisation)
gets right. The rest are invariants: shape and dtype, unit norm, padding-independence, determinism, edge
inputs, truncation at 256 tokens, and the skill-name neighbourhoods the tools service relies on.
"""

from __future__ import annotations

import json
import math
import struct
from pathlib import Path

import numpy as np
import pytest

from services.tools.embeddings import (
    EMBEDDING_DIM,
    SentenceEncoder,
    _gelu,
    default_encoder,
    read_safetensors,
)


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return default_encoder()


def cosine(encoder: SentenceEncoder, a: str, b: str) -> float:
    first, second = encoder.encode([a, b])
    return float(first @ second)


def test_reproduces_the_sentence_transformers_quickstart_matrix(encoder: SentenceEncoder) -> None:
    embeddings = encoder.encode(
        ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
    )
    published = np.array([[1.0, 0.6660, 0.1046], [0.6660, 1.0, 0.1411], [0.1046, 0.1411, 1.0]])
    np.testing.assert_allclose(embeddings @ embeddings.T, published, atol=1e-3)


def test_model_card_example_regression_values(encoder: SentenceEncoder) -> None:
    # The model card's widget sentences. Not published by sentence-transformers itself; these are this
    # encoder's values (which a third-party ONNX benchmark reports too). Note 0.6946 is "happy person"
    # against "happy dog"; against "very happy person" it is 0.9429.
    source, *others = [
        "That is a happy person",
        "That is a happy dog",
        "That is a very happy person",
        "Today is a sunny day",
    ]
    embeddings = encoder.encode([source, *others])
    np.testing.assert_allclose(embeddings[1:] @ embeddings[0], [0.6946, 0.9429, 0.2569], atol=1e-3)


def test_shape_dtype_and_unit_norm(encoder: SentenceEncoder) -> None:
    embeddings = encoder.encode(["Python", "machine learning", "CI/CD pipelines on GitHub Actions"])
    assert embeddings.shape == (3, EMBEDDING_DIM)
    assert embeddings.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(embeddings, axis=1), 1.0, atol=1e-5)


def test_batching_and_padding_do_not_change_embeddings(encoder: SentenceEncoder) -> None:
    # Lengths from 3 to about 20 tokens, so the short texts are padded in a shared batch.
    texts = ["Go", "React Native", "Terraform", "distributed systems design and capacity planning at scale"]
    texts += ["Amazon Web Services (AWS) Lambda, Step Functions and DynamoDB", "SQL", "scikit-learn"]
    batched = encoder.encode(texts, batch_size=64)
    in_pairs = encoder.encode(texts, batch_size=2)
    one_by_one = np.vstack([encoder.encode([text]) for text in texts])
    np.testing.assert_allclose(batched, one_by_one, atol=1e-5)
    np.testing.assert_allclose(in_pairs, one_by_one, atol=1e-5)


def test_deterministic_and_duplicates_share_one_row(encoder: SentenceEncoder) -> None:
    texts = ["Kafka", "event streaming", "Kafka", " Kafka "]
    first = encoder.encode(texts)
    np.testing.assert_array_equal(first, encoder.encode(texts))
    np.testing.assert_array_equal(first[0], first[2])
    np.testing.assert_array_equal(first[0], first[3])  # stripped, as sentence-transformers does


def test_edge_inputs(encoder: SentenceEncoder) -> None:
    empty = encoder.encode([""])  # [CLS] [SEP] only
    assert empty.shape == (1, EMBEDDING_DIM)
    assert np.isfinite(empty).all()
    assert encoder.encode([]).shape == (0, EMBEDDING_DIM)
    with pytest.raises(TypeError):
        encoder.encode("Python")


def test_long_input_is_truncated_at_max_seq_length(encoder: SentenceEncoder) -> None:
    assert encoder.max_seq_length == 256
    long_text = " ".join(["microservices"] * 300)  # far over 256 tokens
    # Whatever follows the first 256 tokens is cut off, so it cannot change the embedding.
    with_tail, with_other_tail = encoder.encode([long_text + " Photoshop", long_text + " Excel"])
    np.testing.assert_allclose(with_tail, with_other_tail, atol=1e-6)


def test_skill_names_land_near_their_synonyms(encoder: SentenceEncoder) -> None:
    assert cosine(encoder, "Kubernetes", "k8s container orchestration") > cosine(
        encoder, "Kubernetes", "Photoshop"
    )
    assert cosine(encoder, "PostgreSQL", "Postgres") > cosine(encoder, "PostgreSQL", "Excel")


def test_gelu_is_the_erf_form() -> None:
    x = np.linspace(-10, 10, 4001, dtype=np.float32)
    exact = np.array([v * 0.5 * (1.0 + math.erf(v / math.sqrt(2.0))) for v in x.astype(np.float64)])
    np.testing.assert_allclose(_gelu(x.copy()), exact, atol=1e-6)
    # The tanh approximation differs by up to ~5e-4 here: it must not be what runs.
    tanh_form = 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    assert np.abs(tanh_form - exact).max() > 1e-4


def test_read_safetensors_parses_the_format(tmp_path: Path) -> None:
    weights = np.arange(6, dtype=np.float32).reshape(2, 3)
    ids = np.array([7, -1], dtype=np.int64)
    bf16 = (np.array([1.5, -2.0], dtype=np.float32).view(np.uint32) >> 16).astype(np.uint16)
    blobs = [weights.tobytes(), ids.tobytes(), bf16.tobytes()]
    offsets = np.cumsum([0, *map(len, blobs)]).tolist()
    header = {
        "__metadata__": {"format": "pt"},
        "w": {"dtype": "F32", "shape": [2, 3], "data_offsets": offsets[0:2]},
        "ids": {"dtype": "I64", "shape": [2], "data_offsets": offsets[1:3]},
        "half": {"dtype": "BF16", "shape": [2], "data_offsets": offsets[2:4]},
    }
    encoded = json.dumps(header).encode()
    path = tmp_path / "t.safetensors"
    path.write_bytes(struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs))
    tensors = read_safetensors(path)
    assert set(tensors) == {"w", "ids", "half"}
    np.testing.assert_array_equal(tensors["w"], weights)
    np.testing.assert_array_equal(tensors["ids"], ids)
    np.testing.assert_array_equal(tensors["half"], [1.5, -2.0])
