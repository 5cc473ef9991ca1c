"""Times shown to readers are Norwegian time; the manifest keeps the exact UTC time."""

from __future__ import annotations

from allocation.write.when import local_time


def test_winter_and_summer_time_in_oslo() -> None:
    assert local_time("2026-11-25T14:02:57+00:00") == "25.11.2026 kl. 15:02"  # CET, UTC+1
    assert local_time("2026-06-15T10:30:00+00:00") == "15.06.2026 kl. 12:30"  # CEST, UTC+2
    assert local_time("2026-03-29T00:59:00+00:00") == "29.03.2026 kl. 01:59"  # just before the change
    assert local_time("2026-03-29T01:00:00+00:00") == "29.03.2026 kl. 03:00"  # summer time begins


def test_not_a_time_is_shown_as_it_is() -> None:
    assert local_time("ukjent") == "ukjent"
