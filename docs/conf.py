"""Sphinx configuration for the toolkit's own documentation (`make docs` → _build/docs/).

Not a standard: the stdkit extension is not loaded. The pages use the HTML edition's page frame
(_templates/layout.html on Sphinx's basic theme) and stylesheet, so they look like an edition and
their interface is Chinese too.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

project = "stdkit 标准即代码工具包"
html_title = "stdkit 使用说明"
extensions = ["myst_parser"]
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3
language = "zh_CN"
root_doc = "index"
exclude_patterns: list[str] = []

html_theme = "basic"
html_theme_options = {"nosidebar": True, "body_min_width": 0, "body_max_width": "none"}
templates_path = [str(ROOT / "_templates")]
html_static_path = [str(ROOT / "tooling" / "static")]
html_css_files = ["stdkit.css"]
html_permalinks_icon = "¶"
html_use_index = False
html_show_sphinx = False
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
html_search_language = "zh"
html_search_options = {"dict": ""}  # see tooling/extension.py: jieba's dictionary loads once
