"""``@frozen`` behaves as ``@dataclass(frozen=True, slots=True)`` in every way the code uses."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from llmchoice.frozen import frozen, slotted
from llmchoice.io.errors import Location, Problem
from llmchoice.ruleset.load import load_ruleset


def _pair(body: dict[str, Any], annotations: dict[str, str], bases: tuple[type, ...] = ()
          ) -> tuple[type, type]:
    """The same class built by dataclass and by @frozen."""
    made = []
    for deco in (dataclass(frozen=True, slots=True), frozen):
        ns = {"__annotations__": dict(annotations), "__module__": __name__, **body}
        made.append(deco(type("Thing", bases, ns)))
    return made[0], made[1]


FIELDS = {"a": "str", "b": "int", "c": "tuple[int, ...]", "d": "dict[str, int]",
          "e": "object"}
BODY = {"b": 2, "c": (), "d": field(default_factory=dict, repr=False, compare=False),
        "e": None}


def test_init_defaults_eq_hash_repr_match_real_dataclass() -> None:
    real, ours = _pair(BODY, FIELDS)
    for args, kwargs in [(("x",), {}), (("x", 3, (1,)), {}), ((), {"a": "y", "e": 1.5}),
                         (("x",), {"d": {"k": 1}})]:
        r, o = real(*args, **kwargs), ours(*args, **kwargs)
        assert repr(r) == repr(o)
        assert dataclasses.astuple(r) == dataclasses.astuple(o)
        assert dataclasses.asdict(r) == dataclasses.asdict(o)
        assert hash(r) == hash(o)
        assert o == ours(*args, **kwargs)
        assert o != r  # another class, as between two dataclasses
        assert (o == ("x", 2, (), None)) is False  # not a tuple
    assert ours("x", d={"k": 1}) == ours("x")  # compare=False leaves d out
    assert ours("x").d is not ours("x").d  # a fresh dict each time
    assert ours.__match_args__ == real.__match_args__
    assert [f.name for f in dataclasses.fields(ours)] == list(FIELDS)
    with pytest.raises(TypeError):
        ours()
    with pytest.raises(TypeError):
        ours("x", nope=1)


def test_frozen_slotted_replace_copy_pickle() -> None:
    _, ours = _pair(BODY, FIELDS)
    o = ours("x", 5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        o.a = "y"
    with pytest.raises(dataclasses.FrozenInstanceError):
        del o.b
    assert not hasattr(o, "__dict__")
    assert ours.__slots__ == tuple(FIELDS)
    assert dataclasses.is_dataclass(o)
    changed = dataclasses.replace(o, b=7)
    assert (changed.a, changed.b, o.b) == ("x", 7, 5)
    assert copy.copy(o) == o and copy.deepcopy(o) == o


def test_pickle_round_trip_of_real_model_objects() -> None:
    loc = Location("f.yaml", 3, 4)
    assert pickle.loads(pickle.dumps(loc)) == loc
    rs = load_ruleset(None)
    rule = rs.rules[0]
    assert pickle.loads(pickle.dumps(rule)) == rule
    assert dataclasses.replace(rs, rules=rs.rules[1:]).rules == rs.rules[1:]


def test_inheritance_post_init_and_mutable_default() -> None:
    # a subclass adds fields after its base's, as AnswerProblem does to Problem
    sub = frozen(type("Sub", (Problem,), {"__annotations__": {"kind": "str"}, "kind": "x",
                                          "__module__": __name__}))
    p = sub(Location("a"), "msg", "missing")
    assert str(p) == "a: msg" and p.kind == "missing"
    assert [f.name for f in dataclasses.fields(p)] == ["location", "message", "kind"]
    assert p != Problem(Location("a"), "msg")

    seen = []

    @frozen
    class WithPost:
        n: int

        def __post_init__(self) -> None:
            seen.append(self.n)

    WithPost(4)
    WithPost(5)
    assert seen == [4, 5]
    with pytest.raises(ValueError, match="mutable default"):
        frozen(type("Bad", (), {"__annotations__": {"x": "list[int]"}, "x": [],
                                "__module__": __name__}))
    with pytest.raises(TypeError, match="non-default argument"):
        frozen(type("Bad", (), {"__annotations__": {"x": "int", "y": "int"}, "x": 1,
                                "__module__": __name__}))


def test_what_it_cannot_build_falls_back_to_dataclass() -> None:
    ns = {"__annotations__": {"x": "int"}, "__module__": __name__,
          "__eq__": lambda self, other: True}
    cls = frozen(type("OwnEq", (), ns))
    assert cls(1) == cls(2)  # its own __eq__ kept, as dataclass does
    assert dataclasses.is_dataclass(cls)


def test_slotted_is_dataclass_slots_without_freezing() -> None:
    made = []
    for deco in (dataclass(slots=True), slotted):
        ns = {"__annotations__": dict(FIELDS), "__module__": __name__, **BODY}
        made.append(deco(type("Thing", (), ns)))
    real, ours = made
    r, o = real("x", 3), ours("x", 3)
    assert repr(r) == repr(o) and dataclasses.asdict(r) == dataclasses.asdict(o)
    assert ours.__hash__ is None and ours.__slots__ == tuple(FIELDS)
    o.b = 4  # assignable
    assert o.b == 4 and o == ours("x", 4) and o != ours("x", 5)
    with pytest.raises(AttributeError):
        o.other = 1  # slotted: no other attributes
    assert dataclasses.replace(o, a="y") == ours("y", 4)
    assert copy.deepcopy(o) == o and copy.copy(o) is not o
    # a subclass adds fields (as MergedDocument does to Document)
    sub = slotted(type("Sub", (ours,), {"__annotations__": {"z": "int"}, "z": 0,
                                        "__module__": __name__}))
    s = sub("x", z=9)
    assert (s.a, s.b, s.z) == ("x", 2, 9) and sub.__slots__ == ("z",)
    # and neither kind may extend the other, as with dataclasses
    _, frozen_one = _pair(BODY, FIELDS)
    with pytest.raises(TypeError, match="cannot inherit"):
        frozen(type("F", (ours,), {"__module__": __name__}))
    with pytest.raises(TypeError, match="cannot inherit"):
        slotted(type("M", (frozen_one,), {"__module__": __name__}))


def _init_errors(cls: type) -> list[str]:
    out = []
    for args, kwargs in (((), {}), ((1, 2, 3, 4, 5, 6), {}), ((1,), {"z": 1}),
                         ((1,), {"a": 2})):
        with pytest.raises(TypeError) as caught:
            cls(*args, **kwargs)
        out.append(str(caught.value))
    return out


def test_init_code_is_shared_by_shape_and_renamed_per_class() -> None:
    """__init__ is compiled once per shape (which fields take a factory, __post_init__)
    and renamed for each class: the messages, the defaults and the names are each class's
    own, as dataclass makes them, even for fields named like the placeholders."""
    from llmchoice import frozen as module

    real, ours = _pair(BODY, FIELDS)
    assert _init_errors(ours) == _init_errors(real)
    other_real, other = _pair({"x": field(default_factory=list, repr=False, compare=False),
                               "b": 7, "c": (1,), "e": "e"},
                              {"a": "str", "b": "int", "c": "tuple[int, ...]", "x": "list",
                               "e": "object"})
    assert repr(other("z")) == repr(other_real("z")).replace(other_real.__qualname__,
                                                            other.__qualname__)
    assert other("z").x == [] and other("z").x is not other("z").x
    assert ours("q").d == {} and ours("q").b == 2
    shape = (False, False, False, True, False)
    assert module._INIT_CODE[(shape, False)] is not None  # both classes: one compile
    assert ours.__init__.__code__.co_varnames[:6] == ("self", "a", "b", "c", "d", "e")
    assert other.__init__.__code__.co_varnames[:6] == ("self", "a", "b", "c", "x", "e")
    placeholders_real, placeholders = _pair({"_0": 5}, {"_1": "int", "_0": "int"})
    for made in (placeholders_real, placeholders):
        assert (made(1)._1, made(1)._0, made(_0=3, _1=4)._0) == (1, 5, 3)


def test_the_compiled_init_templates_are_the_generated_ones() -> None:
    """llmchoice/frozen_inits.py is what init_templates_source() writes (regenerate it with
    the command in its docstring), and each of its functions sets its fields as the
    compiled shape does."""
    from llmchoice import frozen as module
    from llmchoice import frozen_inits

    path = Path(frozen_inits.__file__)
    assert path.read_text(encoding="utf-8") == module.init_templates_source()
    for n in (0, 1, 7, module.TEMPLATE_FIELDS):
        template = getattr(frozen_inits, f"init{n}").__code__
        env: dict[str, Any] = {}
        exec(module.init_source("f", (False,) * n), env)  # noqa: S102
        assert template.co_code == env["f"].__code__.co_code
        assert template.co_varnames == env["f"].__code__.co_varnames
    wide_real, wide = _pair({}, {f"x{i}": "int" for i in range(module.TEMPLATE_FIELDS + 3)})
    values = list(range(module.TEMPLATE_FIELDS + 3))
    assert repr(wide(*values)).replace(wide.__qualname__, "W") == \
        repr(wide_real(*values)).replace(wide_real.__qualname__, "W")
