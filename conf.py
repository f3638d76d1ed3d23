"""Sphinx configuration for the standard in standard/ (and any edition folder built with it).

Build through `stdkit build html` (or `sphinx-build -c . standard _build/html`). The edition's
title and number come from <source folder>/standard.yaml, not from here.
"""

extensions = ["myst_parser", "tooling.extension"]

language = "zh_CN"
root_doc = "index"

myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 0

# The page frame is the project's own (_templates/layout.html on Sphinx's basic theme): every
# string Chinese, no theme JavaScript, about a third faster to build than furo
# (benchmarks/RESULTS.md, "HTML theme").
html_theme = "basic"
html_theme_options = {"nosidebar": True, "body_min_width": 0, "body_max_width": "none"}
html_permalinks_icon = "¶"
html_use_index = False  # the 术语索引 and 条款索引 pages are the edition's indexes
html_show_sphinx = False
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
html_search_language = "zh"
templates_path = ["_templates"]
exclude_patterns = ["README.md"]
exclude_patterns += ["comments"]  # comments on drafts (stdkit comments): data, not pages
exclude_patterns += ["explanation.md"]  # the 编制说明 (stdkit explanation), not a chapter

# A standard folder is data: translation catalogs in it (Sphinx's default is <folder>/locales)
# would silently replace the standard's text, and its page-template strings unescaped.
locale_dirs: list[str] = []
