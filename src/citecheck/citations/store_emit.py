"""Citations of a new citations.yml written by libyaml's emitter, as ruamel.yaml writes them.

ruamel.yaml's round-trip emitter is pure Python: a new file of 5,000 citations took 11 s of
CPU. A new file has no comments or quoting of the user's to keep, so the citations whose
values are ordinary text are emitted by PyYAML's C emitter (libyaml), byte for byte as
ruamel.yaml would (block maps and lists, flow maps and lists where the tree says so, one line
per value, a quoted string in double quotes when it holds an apostrophe); `ordinary` picks
them, and tests hold the two writers to the same bytes. A citation with anything else (line
breaks, characters outside the Basic Multilingual Plane, text YAML 1.1 and 1.2 read as
different types, very long values) is left to ruamel.yaml, and so are merges.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import yaml
from ruamel.yaml.emitter import Emitter as RuamelEmitter
from ruamel.yaml.nodes import ScalarNode as RuamelScalarNode
from ruamel.yaml.resolver import VersionedResolver
from yaml.emitter import Emitter
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

WIDTH = 4096  # one line per value, as the round-trip writer is set up
LONGEST = 2000  # characters of a value or flow line libyaml writes (no folding below)
# what either writer escapes or breaks lines at: tabs, line breaks, controls, BOM, astral plane
_UNPRINTABLE = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]")
# a letter first, then no indicator or quote anywhere and no space at the end: a plain
# scalar to both writers, of type str unless it is one of the words YAML reads as a bool or null
_QUIET = re.compile(r"[^\W\d_]([\w .;()/+=$€£]{0,1998}[\w.)])?")
_KEYWORDS = re.compile(r"(?i:yes|no|true|false|on|off|null)")

AVAILABLE = bool(getattr(yaml, "__with_libyaml__", False))


class _Dumper(yaml.CSafeDumper if AVAILABLE else yaml.SafeDumper):  # type: ignore[misc]
    """SafeDumper with the round-trip tree's flow styles and ruamel.yaml's quoting choices."""


def _flow_style(data: Any) -> bool:
    attributes = getattr(data, "fa", None)
    return bool(attributes.flow_style()) if attributes is not None else False


def _represent_map(dumper: _Dumper, data: Any) -> MappingNode:
    flow = _flow_style(data)
    node = dumper.represent_mapping("tag:yaml.org,2002:map", list(data.items()), flow_style=flow)
    _prefer_double_quotes((value for _, value in node.value), flow)
    return node


def _represent_seq(dumper: _Dumper, data: Any) -> SequenceNode:
    flow = _flow_style(data)
    node = dumper.represent_sequence("tag:yaml.org,2002:seq", list(data), flow_style=flow)
    _prefer_double_quotes(node.value, flow)
    return node


def _represent_str(dumper: _Dumper, data: str) -> ScalarNode:
    # as store._Representer: text that starts like an indicator is single-quoted
    style = "'" if data[:1] in ("?", ":", "-") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _represent_none(dumper: _Dumper, _: None) -> ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:null", "null")


_ANALYSER = Emitter(None, allow_unicode=True)  # type: ignore[arg-type]
# ruamel.yaml's emitter, only to ask what it would make of a scalar (YAML 1.2, no directive)
_RUAMEL_ANALYSER = RuamelEmitter(None, allow_unicode=True, dumper=SimpleNamespace(
    typ="rt", serializer=SimpleNamespace(use_version=None)))


def _prefer_double_quotes(nodes: Any, flow: bool) -> None:
    """Text with an apostrophe that cannot be plain goes in double quotes (no '' doubling)."""
    for node in nodes:
        if not (isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:str"
                and "'" in node.value and node.style is None):
            continue
        analysis = _ANALYSER.analyze_scalar(node.value)
        if not (analysis.allow_flow_plain if flow else analysis.allow_block_plain):
            node.style = '"'


_Dumper.add_multi_representer(dict, _represent_map)
_Dumper.add_multi_representer(list, _represent_seq)
_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(type(None), _represent_none)


def emit(entries: list[Any]) -> str:
    """A YAML list of citation maps (ruamel CommentedMaps), as the lines under `citations:`."""
    return yaml.dump(entries, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     width=WIDTH, default_flow_style=False)


def ordinary(value: Any, flow: bool = False) -> bool:
    """Whether every string in a value is text both writers put on the page the same way."""
    try:
        return _ordinary(value, flow)
    except Exception:  # a ruamel.yaml internal asked for moved: let ruamel.yaml write it all
        return False


def _ordinary(value: Any, flow: bool) -> bool:
    if isinstance(value, str):
        if len(value) > LONGEST or _UNPRINTABLE.search(value):
            return False
        if _QUIET.fullmatch(value) and not _KEYWORDS.fullmatch(value):
            return True  # the common case, decided without asking both emitters
        return _same_type(value) and _same_style(value, flow)
    if not flow and _flow_style(value):  # one line for the whole collection: bound all of it
        flow = True
        if _text_length(value) > LONGEST:
            return False
    if isinstance(value, dict):
        return all(_ordinary(k, flow) and _ordinary(v, flow) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_ordinary(item, flow) for item in value)
    return value is None or isinstance(value, bool | int | float)


def _text_length(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_text_length(k) + _text_length(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return sum(_text_length(item) for item in value)
    return 8


_RESOLVER_11 = yaml.resolver.Resolver()
_RESOLVER_12 = VersionedResolver(version=(1, 2))


def _same_type(text: str) -> bool:
    """Whether YAML 1.1 (libyaml's side) and 1.2 (ruamel.yaml's) read this text as one type."""
    old = _RESOLVER_11.resolve(ScalarNode, text, (True, False))
    new = _RESOLVER_12.resolve(RuamelScalarNode, text, (True, False))
    return old == str(getattr(new, "value", new))


def _same_style(text: str, flow: bool) -> bool:
    """Whether libyaml and ruamel.yaml agree on plain or quoted for this text here."""
    ours, theirs = _ANALYSER.analyze_scalar(text), _RUAMEL_ANALYSER.analyze_scalar(text)
    if flow:
        plain = ours.allow_flow_plain, theirs.allow_flow_plain
    else:
        plain = ours.allow_block_plain, theirs.allow_block_plain
    return plain[0] == plain[1] and ours.allow_single_quoted == theirs.allow_single_quoted
