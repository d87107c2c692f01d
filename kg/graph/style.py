"""How each class and relation looks, shared by the page and the GEXF export.

One table, so the legend, the page and Gephi agree. Regions are shades of blue
by administrative level (darker = higher), other types get their own hue and
shape, so type is readable by shape alone (print, colour blindness).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NodeStyle:
    name: str     # class key used in the data
    type: str     # top-level type (filter)
    zh: str       # legend label
    en: str
    colour: str
    shape: str    # a vis-network shape
    size: int
    font: int     # label size: larger classes stay labelled when zoomed out


CLASSES: tuple[NodeStyle, ...] = (
    NodeStyle("Province", "Region", "省级行政区", "province", "#1c3f8c", "dot", 18, 22),
    NodeStyle("Prefecture", "Region", "地级行政区", "prefecture", "#2f6fd0", "dot", 14, 18),
    NodeStyle("County", "Region", "县级行政区", "county / district", "#6ea8ec", "dot", 11, 16),
    NodeStyle("Local", "Region", "乡镇村", "town / village", "#a8c8f0", "dot", 8, 14),
    NodeStyle("Zone", "Region", "功能区", "zone", "#0f9aa8", "hexagon", 13, 16),
    NodeStyle("MacroRegion", "Region", "跨行政区域", "macro-region", "#7048c8", "hexagon", 16, 20),
    NodeStyle("Strategy", "Strategy", "发展战略", "strategy", "#e8590c", "star", 17, 20),
    NodeStyle("Program", "Program", "规划与项目", "program", "#2b8a3e", "square", 10, 15),
    NodeStyle("Measure", "Measure", "举措", "measure", "#c2255c", "triangle", 8, 12),
    NodeStyle("Indicator", "Indicator", "指标", "indicator", "#868e96", "diamond", 7, 12),
)
BY_CLASS = {c.name: c for c in CLASSES}

_REGION_CLASS = {
    "Municipality": "Province", "ProvinceLevelUnit": "Province",
    "PrefectureLevelUnit": "Prefecture", "CountyLevelUnit": "County", "District": "County",
    "LocalUnit": "Local", "Zone": "Zone", "MacroRegion": "MacroRegion",
}

TYPE_ZH = {"Region": "地区", "Strategy": "战略", "Program": "规划项目", "Measure": "举措",
           "Indicator": "指标"}


@dataclass(frozen=True)
class EdgeStyle:
    zh: str
    colour: str
    width: float
    dashes: bool


RELATION_STYLES: dict[str, EdgeStyle] = {
    "partner": EdgeStyle("合作", "#d6336c", 3.0, False),
    "partOf": EdgeStyle("隶属", "#9aa5b1", 1.0, False),
    "memberOf": EdgeStyle("成员", "#9775fa", 1.0, True),
    "covers": EdgeStyle("覆盖", "#f08c00", 1.5, False),
    "implements": EdgeStyle("落实", "#f59f00", 1.5, True),
    "involves": EdgeStyle("涉及", "#37b24d", 1.2, False),
    "hasMeasure": EdgeStyle("举措", "#e599f7", 1.0, False),
    "about": EdgeStyle("指标", "#ced4da", 1.0, True),
}


def class_of(attrs: dict) -> str:
    """The display class of a projected node (Province … Indicator)."""
    node_type = attrs.get("type", "")
    if node_type == "Region":
        return _REGION_CLASS.get(attrs.get("subtype", ""), "County")
    return node_type if node_type in BY_CLASS else "Program"


def colour_of(cls: str) -> str:
    return BY_CLASS.get(cls, BY_CLASS["Program"]).colour


__all__ = ["BY_CLASS", "CLASSES", "RELATION_STYLES", "TYPE_ZH", "EdgeStyle", "NodeStyle",
           "class_of", "colour_of"]
