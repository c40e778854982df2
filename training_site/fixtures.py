"""Where the fixtures live and how they are read."""

from pathlib import Path

import yaml
from django.conf import settings

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


def fixture_read(name: str) -> dict:
    with (FIXTURES_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)
