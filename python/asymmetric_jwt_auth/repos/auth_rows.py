"""
A user together with the rows authentication reads about them (their JWKS endpoint and public keys) in one query,
with LEFT JOINs, instead of three round trips to the database. ``DjangoUserRepository`` loads users this way
when the auth cache is off. The rows are kept where the ORM keeps related rows it loaded with an instance: the
JWKS endpoint as ``select_related("jwks_endpoint")`` caches it, the public keys as
``prefetch_related("public_keys")`` does, so ``user.jwks_endpoint`` and ``user.public_keys.all()`` read them
without a query. The key repositories read them that way (:func:`loaded_rows`), also from users that a custom
user repository loaded with ``select_related``/``prefetch_related``.
"""

from collections.abc import Collection, Sequence
from typing import Any, NamedTuple
import functools

from django.db import models, router

from .lookups import ValuesLookup, attnames, values_lookup


class _Relation(NamedTuple):
    """How a key model's rows hang off the user, as the ORM caches them."""

    user_field: Any  # the model's foreign key (or one-to-one field) to the user
    reverse: Any  # that field's reverse relation, which caches what select_related() loads through a one-to-one
    accessor: str  # the reverse accessor on the user: "jwks_endpoint", "public_keys"
    one_to_one: bool


@functools.cache
def _relation(model: type[models.Model]) -> _Relation:
    field = model._meta.get_field("user")
    return _Relation(field, field.remote_field, field.remote_field.get_accessor_name(), field.one_to_one)


def _prefetched(model: type[models.Model], relation: _Relation, user: Any, alias: str, rows: list[Any]) -> "models.QuerySet[Any]":
    """
    ``user.<accessor>.all()`` evaluated, as prefetch_related() keeps it: its filter on the user is deferred, as the
    related manager defers it, so that it is built only if a later ``filter()`` or the like needs a fresh query (by
    the user's primary key: the QuerySet doesn't hold the user back, see :func:`_cache_rows`).
    """
    queryset = models.QuerySet(model, using=alias)
    queryset._deferred_filter = (False, (), {relation.user_field.attname: user.pk})
    queryset._result_cache = rows
    queryset._prefetch_done = True
    return queryset


class _Part(NamedTuple):
    """Where one joined model's columns are in a row of the join."""

    model: type[models.Model]
    columns: list[str]
    start: int
    pk: int  # position of its primary key among ``columns``
    relation: _Relation


class _Join(NamedTuple):
    lookup: ValuesLookup
    user_columns: list[str]
    user_pk: int
    parts: tuple[_Part, ...]


@functools.cache
def _join(user_model: type[models.Model], field: str, related: tuple[type[models.Model], ...]) -> _Join:
    """The lookup of the user joined with ``related``, and how its rows divide: worked out once."""
    user_columns = attnames(user_model)
    paths, parts, start = list(user_columns), [], len(user_columns)
    for model in related:
        relation = _relation(model)
        columns = attnames(model)
        paths += [f"{relation.accessor}__{column}" for column in columns]
        parts.append(_Part(model, columns, start, columns.index(model._meta.pk.attname), relation))
        start += len(columns)
    user_pk = user_columns.index(user_model._meta.pk.attname)
    return _Join(values_lookup(user_model, field, tuple(paths)), user_columns, user_pk, tuple(parts))


def joinable(user_model: type[models.Model], related: Collection[type[models.Model]]) -> tuple[type[models.Model], ...]:
    """The models of ``related`` a join with the user can read: a join reads every table from the user's database."""
    user_alias = router.db_for_read(user_model)
    return tuple(model for model in related if router.db_for_read(model) == user_alias)


def load_user_with_rows(
    user_model: type[models.Model],
    field: str,
    username: str,
    related: Sequence[type[models.Model]],
    decoy_models: Collection[type[models.Model]] = (),
) -> Any:
    """
    The user whose ``field`` is ``username`` (None for no match or more than one, as ``objects.get()`` fails), with
    their rows of each model of ``related`` read from the user's database (see :func:`joinable`) in the ORM's
    caches. When there is no such user, a decoy user with one row of each of ``decoy_models`` is built and dropped,
    so that building a user costs the same whether or not the user exists.
    """
    join = _join(user_model, field, joinable(user_model, related))
    alias, rows = join.lookup(username)
    if len({row[join.user_pk] for row in rows}) != 1:
        # Build what a user with one row of each model costs, from a row of default values, and drop it
        decoy = join.lookup.decoy_row(alias)
        if decoy is not None:
            decoy[join.user_pk] = 0
            for part in join.parts:  # a row of a decoy model has a primary key; the others are NULL, as not joined
                decoy[part.start + part.pk] = 0 if part.model in decoy_models else None
            _cache_rows(join, alias, [decoy], user_model.from_db(alias, join.user_columns, decoy[: len(join.user_columns)]))
        return None
    user = user_model.from_db(alias, join.user_columns, rows[0][: len(join.user_columns)])
    _cache_rows(join, alias, rows, user)
    return user


def _cache_rows(join: _Join, alias: str, rows: list[list[Any]], user: Any) -> None:
    """Cache on ``user`` its rows of each joined model, from the rows of the join, as the ORM caches related rows."""
    for part in join.parts:
        instances: dict[Any, models.Model] = {}
        for row in rows:
            values = row[part.start : part.start + len(part.columns)]
            # A user without any row of the model still has one joined row: all NULL
            if values[part.pk] is not None and values[part.pk] not in instances:
                # The rows don't hold the user back: with the user holding them, the cycle would leave every request's
                # rows to the garbage collector (3-5 % of the middleware's throughput with persistent connections)
                instances[values[part.pk]] = part.model.from_db(alias, part.columns, values)
        loaded = list(instances.values())
        if part.relation.one_to_one:
            # As select_related() caches it: None means "no such row" (the accessor raises DoesNotExist)
            part.relation.reverse.set_cached_value(user, loaded[0] if loaded else None)
        else:
            # As prefetch_related() caches it: an evaluated QuerySet, which the related manager's all() returns
            prefetched = user.__dict__.setdefault("_prefetched_objects_cache", {})
            prefetched[part.relation.accessor] = _prefetched(part.model, part.relation, user, alias, loaded)


def loaded_rows(model: type[models.Model], user: Any) -> list[Any] | None:
    """
    The user's rows of ``model`` if they were loaded with the user (by :func:`load_user_with_rows`, or
    ``select_related``/``prefetch_related``), None if they were not: what ``user.jwks_endpoint`` and
    ``user.public_keys.all()`` would read from the ORM's caches, read from those caches directly (the accessors
    cost a related manager or an exception per call).
    """
    relation = _relation(model)
    if relation.one_to_one:
        if not relation.reverse.is_cached(user):
            return None
        row = relation.reverse.get_cached_value(user)
        return [] if row is None else [row]
    prefetched = getattr(user, "_prefetched_objects_cache", None)
    if not prefetched or relation.accessor not in prefetched:
        return None
    return list(prefetched[relation.accessor])
