"""Random numbers keyed by name: a draw is a function of (root seed, replication, stream name,
draw number), never of the order in which things were compiled or happened.

Each stream -- a rule's deliberation delay, its decision, one observer's delay in seeing one
event, one hop of a message to one recipient, a process's parameter -- has a name. Its ``j``-th
draw is SplitMix64's output function (Steele, Lea & Flood 2014, the counter-based generator
behind Java's ``SplittableRandom``) applied to the sum of a 64-bit BLAKE2b hash of the name and
``j``, the replication's key and the component (uniform, then the two uniforms of a Box-Muller
normal). So inserting, removing or reordering rules or processes leaves every other draw
unchanged (variants stay paired), and a stream can draw as often as it needs.

The draws a replication is sure to want first (each stream's draw 0) are computed for every
named slot at once with NumPy (about as fast as the positional slots they replace); further draws
(a rule deciding again, a hazard's next firing) are computed one at a time on demand.
"""

from __future__ import annotations

import hashlib
import math
from functools import lru_cache

import numpy as np

_M = (1 << 64) - 1
_GAMMA = 0x9E3779B97F4A7C15  # SplitMix64's increment (the golden ratio in 64 bits)
_C1, _C2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
_TO_UNIT = 2.0 ** -53
_TWO_PI = 2.0 * math.pi


@lru_cache(maxsize=1 << 16)
def name_key(name: str, j: int = 0) -> int:
    """64-bit key of draw ``j`` of stream ``name`` (stable across Python runs and machines)."""
    text = name if j == 0 else f"{name}#{j}"
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def replication_key(root_seed: int, replication: int) -> int:
    """64-bit key of replication ``replication`` under ``root_seed`` (any non-negative int)."""
    data = f"straitsim:{int(root_seed)}:{int(replication)}".encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def _mix(x: int) -> int:
    x = ((x ^ (x >> 30)) * _C1) & _M
    x = ((x ^ (x >> 27)) * _C2) & _M
    return x ^ (x >> 31)


def draw(rkey: int, key: int) -> tuple[float, float]:
    """The uniform and standard normal of one named draw (``key`` from ``name_key``)."""
    base = key + rkey
    u = (_mix(base & _M) >> 11) * _TO_UNIT
    a = (_mix((base + _GAMMA) & _M) >> 11) * _TO_UNIT
    b = (_mix((base + 2 * _GAMMA) & _M) >> 11) * _TO_UNIT
    return u, math.sqrt(-2.0 * math.log1p(-a)) * math.cos(_TWO_PI * b)


def uniform(rkey: int, key: int) -> float:
    """The uniform of one named draw: ``draw(rkey, key)[0]`` without the normal's cost (hot
    loops that want only the uniform)."""
    return (_mix((key + rkey) & _M) >> 11) * _TO_UNIT


def slot_keys(names) -> np.ndarray:
    """The (n, 3) uint64 keys of the first draw of each named slot, for ``slot_draws``."""
    k = np.array([name_key(n) for n in names], dtype=np.uint64).reshape(-1, 1)
    with np.errstate(over="ignore"):
        return k + np.array([0, _GAMMA, (2 * _GAMMA) & _M], dtype=np.uint64)


def slot_draws(keys: np.ndarray, rkey: int) -> tuple[memoryview, memoryview]:
    """``draw(rkey, key)`` for every slot at once: the uniforms and the normals, each a sequence
    of floats indexed by slot (see ``slot_draws_many``)."""
    return slot_draws_many(keys, (rkey,))[0]


def slot_draws_many(keys: np.ndarray, rkeys) -> list[tuple[memoryview, memoryview]]:
    """``slot_draws(keys, rkey)`` for each of ``rkeys``, in one NumPy pass: a batch of
    replications pays NumPy's per-call overhead once, not once per replication. Each number is
    the same elementwise arithmetic on its own key, so the same whatever the batch.

    Each replication's uniforms and normals are memoryviews of the arrays (indexing one gives
    a Python float), not lists: a replication reads only a few hundred of its slots' numbers,
    and making a Python float of every slot up front cost more than that (measured)."""
    x = keys[None, :, :] + np.array(rkeys, dtype=np.uint64)[:, None, None]  # wraps mod 2**64
    x ^= x >> np.uint64(30)
    x *= np.uint64(_C1)
    x ^= x >> np.uint64(27)
    x *= np.uint64(_C2)
    x ^= x >> np.uint64(31)
    w = (x >> np.uint64(11)).astype(np.float64) * _TO_UNIT
    z = np.sqrt(-2.0 * np.log1p(-w[:, :, 1])) * np.cos(_TWO_PI * w[:, :, 2])
    n = len(keys)
    u = memoryview(np.ascontiguousarray(w[:, :, 0]).reshape(-1))  # replication j: [j*n, j*n+n)
    z = memoryview(z.reshape(-1))
    return [(u[j * n:j * n + n], z[j * n:j * n + n]) for j in range(len(rkeys))]
