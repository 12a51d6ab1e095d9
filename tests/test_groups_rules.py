"""Group rules that need no Discord: categories of 50, the 500-channel guild limit, marks."""

import pytest

from bot.services.groups import (
    CategorySlot,
    TooManyChannels,
    channel_mark,
    check_guild_room,
    parse_mark,
    plan_categories,
)


def test_channels_fill_categories_up_to_50_then_open_new_ones():
    plan = plan_categories([CategorySlot(1, "Groupes L1", 48)], "Groupes L1", 55)
    assert [s.id for s in plan.targets[:2]] == [1, 1]
    assert [s.name for s in plan.new_categories] == ["Groupes L1 2", "Groupes L1 3"]
    assert sum(1 for s in plan.targets if s.name == "Groupes L1 2") == 50
    assert sum(1 for s in plan.targets if s.name == "Groupes L1 3") == 3


def test_no_category_yet():
    plan = plan_categories([], "Groupes", 3)
    assert [s.name for s in plan.new_categories] == ["Groupes"]
    assert len(plan.targets) == 3


def test_guild_limit_counts_channels_and_new_categories():
    plan = plan_categories([], "Groupes", 13)
    check_guild_room(486, plan)  # 486 + 13 + 1 = 500
    with pytest.raises(TooManyChannels) as info:
        check_guild_room(487, plan)
    assert info.value.params == {"current": 487, "needed": 14, "limit": 500}


def test_mark_round_trip_and_foreign_topics():
    assert parse_mark(f"Groupe 3 · L1 {channel_mark(42)}") == 42
    assert parse_mark("a topic [cohort:gX]") is None
    assert parse_mark(None) is None
