"""The balance panel's picture: posts read vs contributions per week, as inline SVG by pygal.

pygal puts a <style> and a config <script> inside its SVG; the site's CSP allows neither, so they
are removed here and the look comes from rr/pln.css instead. Labels are ours (week dates), and
pygal escapes them anyway."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pygal
from django.utils.safestring import SafeString, mark_safe


def _strip(tree: ET.Element) -> None:
    for parent in list(tree.iter()):
        for child in list(parent):
            if child.tag in ("style", "script") or not isinstance(child.tag, str):
                parent.remove(child)  # CSP-forbidden elements, and pygal's comments
            elif child.tag == "g" and "tooltip-overlay" in child.get("class", ""):
                parent.remove(child)  # a JavaScript tooltip with an inline style: no use without JS
        parent.attrib.pop("style", None)


def weekly_svg(weeks, *, label: str) -> SafeString:
    chart = pygal.Bar(
        js=[],
        disable_xml_declaration=True,
        width=640,
        height=320,
        legend_at_bottom=True,
        show_y_guides=True,
        print_values=False,
        title=None,
    )
    chart.x_labels = [w.label for w in weeks]
    chart.add("Posts read", [w.posts_read for w in weeks])
    chart.add("Contributions", [w.contributions for w in weeks])
    tree = chart.render_tree()
    _strip(tree)
    for title in tree.findall("title"):
        title.text = label
    tree.set("role", "img")
    tree.set("aria-label", label)
    tree.set("focusable", "false")
    return mark_safe(ET.tostring(tree, encoding="unicode"))  # noqa: S308 - built from our numbers and labels
