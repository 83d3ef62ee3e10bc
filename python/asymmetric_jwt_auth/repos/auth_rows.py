"""
A user together with the rows authentication reads about them (their JWKS endpoint and public keys) in one query,
with LEFT JOINs, instead of three round trips to the database. ``DjangoUserRepository`` loads users this way
when the auth cache is off; the rows reach the key repositories attached to the user instance, and each
repository takes its own once (:func:`take_attached`, called by ``rows_for_user``).

When the username matches no user, that query found nothing in the key tables either, so the key repositories'
simulated lookups (which make an unknown user cost what a known one costs) need no query of their own:
:func:`take_covered` tells them so, in the thread that made the lookup.
"""

from collections.abc import Sequence
from typing import Any
import threading

from django.db import models, router

from .lookups import attnames, values_lookup

#: Attribute of a user instance: key model -> that user's rows of it, loaded with the user
_ATTACHED = "_asymmetric_jwt_auth_rows"

_covered = threading.local()


def load_user_with_rows(user_model: type[models.Model], field: str, username: str, related: Sequence[tuple[str, type[models.Model]]]) -> Any:
    """
    The user whose ``field`` is ``username`` (None for no match or more than one, as ``objects.get()`` fails), with
    their rows of each ``(reverse accessor, model)`` of ``related`` attached (of those read from the user's database).
    """
    clear_covered()
    # A join reads every table from the user's database: rows routed to another database are left to their query
    alias = router.db_for_read(user_model)
    related = [(accessor, model) for accessor, model in related if router.db_for_read(model) == alias]
    user_columns = attnames(user_model)
    paths = [*user_columns, *(f"{accessor}__{column}" for accessor, model in related for column in attnames(model))]
    alias, rows = values_lookup(user_model, field, tuple(paths))(username)
    user_pk = user_columns.index(user_model._meta.pk.attname)  # type:ignore[union-attr]
    if len({row[user_pk] for row in rows}) != 1:
        # Nothing to attach to: the simulated lookups for this username are answered by this query
        _covered.models = frozenset(model for _, model in related)
        return None
    user = user_model.from_db(alias, user_columns, rows[0][: len(user_columns)])
    attached: dict[type[models.Model], list[models.Model]] = {}
    start = len(user_columns)
    for _, model in related:
        columns = attnames(model)
        pk = columns.index(model._meta.pk.attname)  # type:ignore[union-attr]
        instances: dict[Any, models.Model] = {}
        for row in rows:
            values = row[start : start + len(columns)]
            # A user without any row of the model still has one joined row: all NULL
            if values[pk] is not None and values[pk] not in instances:
                instance = model.from_db(alias, columns, values)
                instance.user = user  # type:ignore[attr-defined]
                instances[values[pk]] = instance
        attached[model] = list(instances.values())
        start += len(columns)
    setattr(user, _ATTACHED, attached)
    return user


def take_attached(model: type[models.Model], user: Any) -> list[Any] | None:
    """The user's rows of ``model`` loaded with the user (once: later calls get None), or None if there are none."""
    attached = getattr(user, _ATTACHED, None)
    if not attached or model not in attached:
        return None
    rows = attached.pop(model)
    if not attached:
        delattr(user, _ATTACHED)
    return rows


def take_covered(model: type[models.Model]) -> bool:
    """Whether the last user lookup in this thread found no user and so no rows of ``model`` (answered once)."""
    covered = getattr(_covered, "models", frozenset())
    if model not in covered:
        return False
    _covered.models = covered - {model}
    return True


def clear_covered() -> None:
    """Forget what the last user lookup in this thread covered (a new lookup starts)."""
    _covered.models = frozenset()
