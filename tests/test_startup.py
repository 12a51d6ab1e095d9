from datetime import UTC, datetime, timedelta

from bot.services import startup


def test_a_few_restarts_are_free_then_backoff_grows_and_is_capped():
    now = datetime(2026, 9, 7, tzinfo=UTC)
    assert startup.login_delay([now - timedelta(minutes=1)] * 4, now) == 0
    assert startup.login_delay([now - timedelta(minutes=1)] * 5, now) == 10
    assert startup.login_delay([now - timedelta(minutes=1)] * 7, now) == 40
    assert startup.login_delay([now - timedelta(minutes=1)] * 30, now) == startup.MAX_DELAY
    assert startup.login_delay([now - timedelta(minutes=30)] * 30, now) == 0


def test_history_round_trip_ignores_garbage():
    now = datetime(2026, 9, 7, tzinfo=UTC)
    assert startup.decode(startup.encode([now])) == [now]
    assert startup.decode("nonsense," + now.isoformat()) == [now]
    assert startup.decode(None) == []
