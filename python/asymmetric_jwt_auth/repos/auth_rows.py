"""
A user together with the rows authentication reads about them (their JWKS endpoint and public keys) in one query,
with LEFT JOINs, instead of three round trips to the database. ``DjangoUserRepository`` loads users this way
when the auth cache is off; the rows reach the key repositories attached to the user instance, and each
repository takes its own once (:func:`take_attached`, called by ``rows_for_user``).

When the username matches no user, that query found nothing in the key tables either, so the key repositories'
simulated lookups (which make an unknown user cost what a known one costs) need no query of their own:
:func:`take_covered` tells them so, in the thread that made the lookup.
"""

from collections.abc import Collection, Sequence
from typing import Any, NamedTuple
import functools
import threading

from django.db import models, router

from .lookups import ValuesLookup, attnames, values_lookup

#: Attribute of a user instance: key model -> that user's rows of it, loaded with the user
_ATTACHED = "_asymmetric_jwt_auth_rows"

_covered = threading.local()


class _Part(NamedTuple):
    """Where one joined model's columns are in a row of the join."""

    model: type[models.Model]
    columns: list[str]
    start: int
    pk: int  # position of its primary key among ``columns``


class _Join(NamedTuple):
    lookup: ValuesLookup
    user_columns: list[str]
    user_pk: int
    parts: tuple[_Part, ...]


@functools.cache
def _join(user_model: type[models.Model], field: str, related: tuple[tuple[str, type[models.Model]], ...]) -> _Join:
    """The lookup of the user joined with ``related``, and how its rows divide: worked out once."""
    user_columns = attnames(user_model)
    paths, parts, start = list(user_columns), [], len(user_columns)
    for accessor, model in related:
        columns = attnames(model)
        paths += [f"{accessor}__{column}" for column in columns]
        parts.append(_Part(model, columns, start, columns.index(model._meta.pk.attname)))
        start += len(columns)
    user_pk = user_columns.index(user_model._meta.pk.attname)
    return _Join(values_lookup(user_model, field, tuple(paths)), user_columns, user_pk, tuple(parts))


def load_user_with_rows(
    user_model: type[models.Model],
    field: str,
    username: str,
    related: Sequence[tuple[str, type[models.Model]]],
    decoy_models: Collection[type[models.Model]] = (),
) -> Any:
    """
    The user whose ``field`` is ``username`` (None for no match or more than one, as ``objects.get()`` fails), with
    their rows of each ``(reverse accessor, model)`` of ``related`` attached (of those read from the user's database).
    When there is no such user, a decoy user with one row of each of ``decoy_models`` is built and dropped, so that
    building a user costs the same whether or not the user exists.
    """
    clear_covered()
    # A join reads every table from the user's database: rows routed to another database are left to their query
    user_alias = router.db_for_read(user_model)
    join = _join(user_model, field, tuple((accessor, model) for accessor, model in related if router.db_for_read(model) == user_alias))
    alias, rows = join.lookup(username)
    if len({row[join.user_pk] for row in rows}) != 1:
        # Nothing to attach to: the simulated lookups for this username are answered by this query
        _covered.models = frozenset(part.model for part in join.parts)
        # Build what a user with one row of each model costs, from a row of default values, and drop it
        decoy = join.lookup.decoy_row(alias)
        if decoy is not None:
            decoy[join.user_pk] = 0
            for part in join.parts:  # a row of a decoy model has a primary key; the others are NULL, as not joined
                decoy[part.start + part.pk] = 0 if part.model in decoy_models else None
            _attach(join, alias, [decoy], user_model.from_db(alias, join.user_columns, decoy[: len(join.user_columns)]))
        return None
    user = user_model.from_db(alias, join.user_columns, rows[0][: len(join.user_columns)])
    _attach(join, alias, rows, user)
    return user


def _attach(join: _Join, alias: str, rows: list[list[Any]], user: Any) -> None:
    """Attach to ``user`` its rows of each joined model, from the rows of the join."""
    attached: dict[type[models.Model], list[models.Model]] = {}
    for part in join.parts:
        instances: dict[Any, models.Model] = {}
        for row in rows:
            values = row[part.start : part.start + len(part.columns)]
            # A user without any row of the model still has one joined row: all NULL
            if values[part.pk] is not None and values[part.pk] not in instances:
                instance = part.model.from_db(alias, part.columns, values)
                instance.user = user
                instances[values[part.pk]] = instance
        attached[part.model] = list(instances.values())
    setattr(user, _ATTACHED, attached)


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
    covered: frozenset[type[models.Model]] = getattr(_covered, "models", frozenset())
    if model not in covered:
        return False
    _covered.models = covered - {model}
    return True


def clear_covered() -> None:
    """Forget what the last user lookup in this thread covered (a new lookup starts)."""
    _covered.models = frozenset()
