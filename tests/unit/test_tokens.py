"""A personal API token's last use is kept to the minute: a script's burst of reads writes nothing."""
from datetime import timedelta

from engine.model.actors import SYSTEM
from engine.services import users
from engine.store.people.tables import ApiTokenRow


def last_used(uow):
    with uow:
        return uow.session.query(ApiTokenRow).one().last_used_at


def test_a_token_used_again_within_the_minute_is_not_written_again(uow, clock, agencies):
    users.add_user(uow, clock, SYSTEM, "canbo", "mật-khẩu-đủ-dài", ["agency_member"], agency="QNG-CA")
    token = users.create_token(uow, clock, SYSTEM, "canbo")
    first = clock.now()
    assert users.actor_for_token(uow, clock, token).name == "canbo"
    assert last_used(uow) == first
    clock.set(first + timedelta(seconds=59))
    assert users.actor_for_token(uow, clock, token).name == "canbo"
    assert last_used(uow) == first
    clock.set(first + timedelta(minutes=1))
    assert users.actor_for_token(uow, clock, token).name == "canbo"
    assert last_used(uow) == first + timedelta(minutes=1)
