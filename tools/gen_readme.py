"""Generate README.rst from the readme/*.md fragments (as OCA's gen-addon-readme does).

``python tools/gen_readme.py`` rewrites README.rst; ``--check`` exits 1 when it is
out of date (used by ``make lint``). The fragments use a small Markdown subset
(paragraphs, lists, **bold**, `code`, links), converted here to reStructuredText.
"""

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = [
    ("DESCRIPTION.md", None),
    ("INSTALL.md", "Installation"),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("DEVELOP.md", "Development"),
    ("CONTRIBUTORS.md", "Contributors"),
]


def md_to_rst(text):
    text = re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", text)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"`\1 <\2>`_", text)
    return text.strip() + "\n"


def render():
    manifest = ast.literal_eval((ROOT / "__manifest__.py").read_text("utf-8"))
    title = manifest["name"]
    out = [
        "=" * len(title),
        title,
        "=" * len(title),
        "",
        "..",
        "   This file is generated from readme/*.md by tools/gen_readme.py:",
        "   edit the fragments, then run it.",
        "",
        f"**{manifest['summary']}**",
        "",
        f"Version {manifest['version']} · License {manifest['license']} · "
        f"Status {manifest['development_status']} · "
        f"Depends on {', '.join(manifest['depends'])}",
        "",
    ]
    for filename, heading in SECTIONS:
        path = ROOT / "readme" / filename
        if not path.exists():
            continue
        if heading:
            out += [heading, "=" * len(heading), ""]
        out.append(md_to_rst(path.read_text("utf-8")))
    screenshots = sorted((ROOT / "readme").glob("*.png"))
    if screenshots:
        out += ["Screenshots", "===========", ""]
        for shot in screenshots:
            out += [f".. image:: readme/{shot.name}", f"   :alt: {shot.stem}", ""]
    return "\n".join(out).rstrip() + "\n"


def render_html(rst):
    """static/description/index.html, the page Odoo's Apps screen shows."""
    from docutils.core import publish_string  # Odoo's requirements bring docutils

    return publish_string(
        rst,
        writer_name="html4css1",
        settings_overrides={
            "embed_stylesheet": False,
            "xml_declaration": False,
            "stylesheet_path": "",
            "report_level": 5,
            "output_encoding": "unicode",
            "halt_level": 5,
        },
    )


def main():
    content = render()
    outputs = {
        ROOT / "README.rst": content,
        ROOT / "static" / "description" / "index.html": render_html(content),
    }
    if "--check" in sys.argv:
        stale = [
            path.relative_to(ROOT)
            for path, text in outputs.items()
            if not path.exists() or path.read_text("utf-8") != text
        ]
        if stale:
            print(f"out of date: {stale}: run python tools/gen_readme.py")
            return 1
        return 0
    for path, text in outputs.items():
        path.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
