"""Read YAML into plain Python values while remembering the line of every key path.

PyYAML is imported on first use: a student kernel takes its lessons and help routes from the
content cache (beeldwijs.content.cache) and never parses YAML (≈ 10 ms of import saved).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from beeldwijs.errors import ContentError, ContentProblem
from beeldwijs.texts import t

if TYPE_CHECKING:
    import yaml

Lines = dict[str, int]


def read_yaml(text: str, file: str) -> tuple[Any, Lines]:
    """Parse ``text`` safely; return the value and a map from key path ("/questions/0/id") to line.

    Raises ContentError naming the file and line when the YAML itself is malformed.
    """
    import yaml

    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: Lines = {}
        value = _convert(loader, node, "", lines) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(
            [ContentProblem(file, "", t("load.bad_yaml", problem=problem), line)]
        ) from exc
    finally:
        loader.dispose()
    return value, lines


def _convert(loader: yaml.SafeLoader, node: yaml.Node, path: str, lines: Lines) -> Any:
    import yaml

    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            result[key] = _convert(loader, value_node, f"{path}/{key}", lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(loader, item, f"{path}/{i}", lines) for i, item in enumerate(node.value)]
    return loader.construct_object(node)
