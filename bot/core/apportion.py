"""Share a whole number out in proportion to weights so that the parts add up exactly."""

from __future__ import annotations

from collections.abc import Mapping


def apportion(amount: int, weights: Mapping[str, int]) -> dict[str, int]:
    """Largest-remainder (Hamilton) apportionment of ``amount`` by ``weights``.

    Naive rounding of each share can miss the total by a few troops; here each key first gets
    the floor of its quota and the leftover units go to the largest remainders (ties: the larger
    weight, then the name), so ``sum(result.values()) == amount`` always holds.
    """
    if amount < 0:
        raise ValueError("amount must not be negative")
    positive = {key: weight for key, weight in weights.items() if weight > 0}
    total = sum(positive.values())
    if total == 0:
        if amount:
            raise ValueError("cannot share a positive amount among zero weights")
        return {}
    parts = {key: amount * weight // total for key, weight in positive.items()}
    leftover = amount - sum(parts.values())
    by_remainder = sorted(positive, key=lambda key: (-(amount * positive[key] % total), -positive[key], key))
    for key in by_remainder[:leftover]:
        parts[key] += 1
    return parts
