"""YAML read with the line of every mapping, key and sequence, for messages that say where."""

import yaml
from django.utils.translation import gettext as _


class ModelFileError(ValueError):
    """A model file that cannot be imported; `problems` lists every finding."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class _Mapping(dict):
    line: int = 0

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Sequence(list):
    line: int = 0


class _LineLoader(yaml.SafeLoader):
    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except ModelFileError:
            raise
        except ValueError as error:  # a date like 2026-13-45
            line = node.start_mark.line + 1
            raise ModelFileError(
                [
                    _("line %(line)s: cannot read this value: %(error)s")
                    % {"line": line, "error": error}
                ]
            ) from error


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            raise ModelFileError([_("line %(line)s: keys must be text") % {"line": line}])
        if key in mapping:
            raise ModelFileError(
                [_("line %(line)s: '%(key)s' appears twice") % {"line": line, "key": key}]
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _Sequence:
    sequence = _Sequence(loader.construct_object(child, deep=True) for child in node.value)
    sequence.line = node.start_mark.line + 1
    return sequence


def _construct_int(loader: _LineLoader, node: yaml.ScalarNode) -> int:
    # Beyond every column, and int() refuses 4,300 digits with advice meant for programmers.
    if len(node.value) > 30:
        line = node.start_mark.line + 1
        raise ModelFileError([_("line %(line)s: this number is too large") % {"line": line}])
    return loader.construct_yaml_int(node)


_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load(text: str):
    """The YAML document in `text`, its mappings and sequences knowing their lines."""
    return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
