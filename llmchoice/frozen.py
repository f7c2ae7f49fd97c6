"""``@frozen`` and ``@slotted``: slotted data classes that are cheap to create.

It is ``@dataclass(frozen=True, slots=True)`` with the same behaviour (``__init__``
with defaults and ``field(default_factory=..., repr=False, compare=False)``,
``__post_init__``, ``__eq__``, ``__hash__``, ``__repr__``, assignment refused with
``FrozenInstanceError``, ``__slots__``, ``__match_args__``, copy and pickle), and
``dataclasses.replace``, ``fields``, ``asdict`` and ``is_dataclass`` work on it,
because it carries the same ``__dataclass_fields__``. Only creating the class is
cheaper: ``dataclass`` compiles six methods per class with ``exec`` (0.4-1 ms a
class; start-up builds about 60 of them, a fifth of ``recommend``'s own time),
where this makes ``__init__`` only, the first time an instance is made (from code
compiled once per shape, most of it in :mod:`llmchoice.frozen_inits`'s ``.pyc``,
renamed for the class), and shares the other methods (about 0.03 ms a class).
``@slotted`` is the same for ``@dataclass(slots=True)`` (mutable, not hashable).
``tests/test_frozen.py`` checks every behaviour against a real dataclass.

A class it cannot build exactly as ``dataclass`` would (``ClassVar``, ``InitVar``,
``kw_only``, ``init=False``, its own ``__eq__``/``__hash__``/``__repr__``/``__init__``
/``__setattr__``, a non-frozen data class as base), or a Python whose ``dataclasses``
lacks the field marker used below, gets ``dataclass(frozen=True, slots=True)`` itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import attrgetter
from reprlib import recursive_repr
from types import CodeType, FunctionType
from typing import Any, TypeVar, dataclass_transform

from llmchoice import frozen_inits

_T = TypeVar("_T")
_MISSING: Any = dataclasses.MISSING
_FIELD_MARK: Any = getattr(dataclasses, "_FIELD", None)  # what dataclasses.fields() keeps
_OWN = frozenset({"__init__", "__eq__", "__hash__", "__repr__", "__setattr__", "__delattr__",
                  "__slots__", "__getstate__", "__setstate__"})
_FALLBACK_TYPES = ("ClassVar", "InitVar", "KW_ONLY")
_set = object.__setattr__


class _Params:
    """What dataclasses records of a class's parameters (``__dataclass_params__``)."""

    __slots__ = ("eq", "frozen", "init", "kw_only", "match_args", "order", "repr", "slots",
                 "unsafe_hash", "weakref_slot")

    def __init__(self, frozen: bool) -> None:
        self.init = self.repr = self.eq = self.match_args = self.slots = True
        self.order = self.unsafe_hash = self.kw_only = self.weakref_slot = False
        self.frozen = frozen


_FROZEN, _MUTABLE = _Params(True), _Params(False)


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def frozen(cls: type[_T]) -> type[_T]:
    """The class as ``@dataclass(frozen=True, slots=True)`` makes it (see the module)."""
    fields = _fields(cls, frozen=True)
    if fields is None:
        return dataclasses.dataclass(frozen=True, slots=True)(cls)
    return _build(cls, fields, frozen=True)


@dataclass_transform(field_specifiers=(dataclasses.field,))
def slotted(cls: type[_T]) -> type[_T]:
    """The class as ``@dataclass(slots=True)`` makes it: the same without the freezing
    (fields can be assigned; not hashable)."""
    fields = _fields(cls, frozen=False)
    if fields is None:
        return dataclasses.dataclass(slots=True)(cls)
    return _build(cls, fields, frozen=False)


def _fields(cls: type, *, frozen: bool) -> dict[str, dataclasses.Field[Any]] | None:
    """The fields, inherited first, as dataclasses would make them; None to fall back."""
    if _FIELD_MARK is None or _OWN & cls.__dict__.keys():
        return None
    fields: dict[str, dataclasses.Field[Any]] = {}
    for base in cls.__mro__[-1:0:-1]:
        inherited = base.__dict__.get("__dataclass_fields__")
        if inherited is not None:
            params: Any = base.__dict__.get("__dataclass_params__")
            if params is None or params.frozen is not frozen:
                return None
            fields.update(inherited)
    for name, kind in cls.__dict__.get("__annotations__", {}).items():
        if not isinstance(kind, str) or any(t in kind for t in _FALLBACK_TYPES):
            return None
        default = cls.__dict__.get(name, _MISSING)
        if isinstance(default, dataclasses.Field):
            f = default
            if not f.init or f.kw_only is True:
                return None
        else:
            f = dataclasses.field(default=default)
        if f.default.__class__.__hash__ is None:  # what dataclass refuses too
            raise ValueError(f"mutable default {type(f.default)} for field {name} is not "
                             f"allowed: use default_factory")
        f.name, f.type, f._field_type = name, kind, _FIELD_MARK  # type: ignore[attr-defined]
        fields[name] = f
    return fields


def _build(cls: type[_T], fields: dict[str, dataclasses.Field[Any]], *, frozen: bool
           ) -> type[_T]:
    names = tuple(fields)
    seen_default = False
    for f in fields.values():
        has_default = f.default is not _MISSING or f.default_factory is not _MISSING
        if seen_default and not has_default:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
        seen_default = seen_default or has_default
    inherited = {s for base in cls.__mro__[1:-1] for s in _slots(base)}
    ns = {k: v for k, v in cls.__dict__.items()
          if k not in fields and k not in ("__dict__", "__weakref__")}
    compared = _getter(tuple(f.name for f in fields.values() if f.compare))
    hashed = _getter(tuple(f.name for f in fields.values()
                           if (f.compare if f.hash is None else f.hash)))
    shown = tuple(f.name for f in fields.values() if f.repr)

    def __eq__(self: Any, other: Any) -> Any:  # noqa: N807
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    def __hash__(self: Any) -> int:  # noqa: N807
        return hash(hashed(self))

    @recursive_repr()
    def __repr__(self: Any) -> str:  # noqa: N807
        inner = ", ".join([f"{n}={getattr(self, n)!r}" for n in shown])
        return f"{self.__class__.__qualname__}({inner})"

    def __setattr__(self: Any, name: str, value: Any) -> None:  # noqa: N807
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self: Any, name: str) -> None:  # noqa: N807
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    def __getstate__(self: Any) -> list[Any]:  # noqa: N807
        return [getattr(self, n) for n in names]

    def __setstate__(self: Any, state: list[Any]) -> None:  # noqa: N807
        for n, v in zip(names, state, strict=False):
            _set(self, n, v)

    methods: dict[str, Any] = {"__eq__": __eq__, "__repr__": __repr__}
    if frozen:
        methods.update(__hash__=__hash__, __setattr__=__setattr__, __delattr__=__delattr__,
                       __getstate__=__getstate__, __setstate__=__setstate__)
    for name, fn in methods.items():
        fn.__qualname__ = f"{cls.__qualname__}.{name}"
    ns.update(methods, __slots__=tuple(n for n in names if n not in inherited),
              __dataclass_fields__=fields, __dataclass_params__=_FROZEN if frozen else _MUTABLE,
              __match_args__=names, __init__=_lazy_init(fields))
    if not frozen:
        ns["__hash__"] = None  # as dataclass: equal by value, so not hashable
    meta: Any = type(cls)
    new: type[_T] = meta(cls.__name__, cls.__bases__, ns)
    new.__qualname__ = cls.__qualname__
    return new


def _slots(cls: type) -> tuple[str, ...]:
    slots = cls.__dict__.get("__slots__", ())
    return (slots,) if isinstance(slots, str) else tuple(slots)


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The values of ``names`` as a tuple (a lone value is wrapped, as dataclass's tuple)."""
    if not names:
        return lambda self: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda self: (one(self),)
    return attrgetter(*names)


def _lazy_init(fields: dict[str, dataclasses.Field[Any]]) -> Callable[..., None]:
    """An ``__init__`` that compiles the real one the first time it is called (most
    classes loaded at start-up are never instantiated in a given run) and puts it on
    the class."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:  # noqa: N807
        owner = next(c for c in type(self).__mro__ if c.__dict__.get("__init__") is __init__)
        real = _compile_init(owner, fields)
        type.__setattr__(owner, "__init__", real)
        real(self, *args, **kwargs)

    return __init__


def _compile_init(cls: type, fields: dict[str, dataclasses.Field[Any]]) -> Callable[..., None]:
    """The same ``__init__`` as dataclass's: positional or keyword, defaults, factories.

    Its code is that of :func:`_init_code` for the class's shape with the placeholders
    renamed to the fields: a class costs a ``replace`` of a code object instead of a
    compile (start-up makes a first instance of 45-60 classes of 16 shapes)."""
    values = tuple(fields.values())
    shape = tuple(f.default_factory is not _MISSING for f in values)
    template = _init_code(shape, hasattr(cls, "__post_init__"))
    rename = {f"_{i}": f.name for i, f in enumerate(values)}
    code = template.replace(
        co_varnames=tuple(rename.get(v, v) for v in template.co_varnames),
        co_consts=tuple(rename.get(c, c) if type(c) is str else c
                        for c in template.co_consts),
        co_qualname=f"{cls.__qualname__}.__init__")
    env: dict[str, Any] = {"_set": _set, "_FACTORY": _FACTORY}
    defaults: list[Any] = []
    for i, f in enumerate(values):
        if f.default_factory is not _MISSING:
            env[f"_f{i}"] = f.default_factory
            defaults.append(_FACTORY)
        elif f.default is not _MISSING:
            defaults.append(f.default)
    fn: Callable[..., None] = FunctionType(code, env, "__init__", tuple(defaults) or None)
    fn.__qualname__ = f"{cls.__qualname__}.__init__"
    fn.__annotations__ = {**{f.name: f.type for f in values}, "return": None}
    return fn


_INIT_CODE: dict[tuple[tuple[bool, ...], bool], CodeType] = {}
TEMPLATE_FIELDS = 24  # llmchoice/frozen_inits.py holds the plain shapes of 0 to 24 fields


def _init_code(factories: tuple[bool, ...], post_init: bool) -> CodeType:
    """The code of an ``__init__`` whose parameters ``_0``, ``_1``, ... take a factory
    where ``factories`` says so (``_f0``, ... in its globals), and that calls
    ``__post_init__`` if asked. The plain shapes (no factory, no ``__post_init__``: most
    classes) come compiled in :mod:`llmchoice.frozen_inits`'s ``.pyc``; any other is
    compiled once."""
    key = (factories, post_init)
    found = _INIT_CODE.get(key)
    if found is not None:
        return found
    if not post_init and not any(factories) and len(factories) <= TEMPLATE_FIELDS:
        code: CodeType = getattr(frozen_inits, f"init{len(factories)}").__code__
    else:
        env: dict[str, Any] = {}
        exec(init_source("__init__", factories, post_init), env)  # noqa: S102
        code = env["__init__"].__code__
    _INIT_CODE[key] = code
    return code


def init_source(name: str, factories: tuple[bool, ...], post_init: bool = False) -> str:
    """The source of :func:`_init_code`'s function ``name`` of that shape."""
    body = [f"_set(self, '_{i}', _f{i}() if _{i} is _FACTORY else _{i})" if factory
            else f"_set(self, '_{i}', _{i})" for i, factory in enumerate(factories)]
    if post_init:
        body.append("self.__post_init__()")
    params = "".join(f", _{i}" for i in range(len(factories)))
    return f"def {name}(self{params}) -> None:\n    " + "\n    ".join(body or ["pass"]) + "\n"


def init_templates_source() -> str:
    """The text of :mod:`llmchoice.frozen_inits` (``tests/test_frozen.py`` checks the file
    against it; ``python -c "from llmchoice.frozen import init_templates_source as s;
    print(s(), end='')" > llmchoice/frozen_inits.py`` writes it)."""
    head = (f'"""The ``__init__`` of every plain shape of 0 to {TEMPLATE_FIELDS} fields, for '
            ":mod:`llmchoice.frozen`.\n\n"
            "Generated by ``llmchoice.frozen.init_templates_source()``; do not edit. Compiled\n"
            "once into this module's ``.pyc``, so that start-up does not compile an ``__init__``"
            " per\nclass; the placeholders ``_0``, ``_1``, ... are renamed to each class's "
            'fields.\n"""\n\n# mypy: ignore-errors\n# ruff: noqa: E501\n\n'
            "_set = object.__setattr__\n")
    return head + "".join("\n\n" + init_source(f"init{n}", (False,) * n)
                          for n in range(TEMPLATE_FIELDS + 1))


class _FactorySentinel:
    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _FactorySentinel()
