"""What every briefing is answered from: nations, a mission's snapshots and the scenario presets."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.catalog import SnapshotCatalog
from bot.core.nations import NationRegistry
from bot.core.scenarios import Preset


@dataclass(frozen=True, slots=True)
class Dataset:
    """Everything a briefing needs: nations, snapshots of the mission, scenario presets."""

    registry: NationRegistry
    catalog: SnapshotCatalog
    presets: dict[str, Preset]
