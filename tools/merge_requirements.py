"""Print Odoo's requirements with the pins of our constraints file substituted.

pip refuses a constraint that contradicts a ``==`` requirement, so a pin that
does not install on this Python (cbor2 5.4.2 on 3.11) has to be replaced in the
requirement list itself.
"""

import re
import sys


def _name(line):
    match = re.match(r"\s*([A-Za-z0-9_.\-]+)", line)
    return match and match.group(1).lower().replace("_", "-")


def main(requirements_path, constraints_path):
    with open(constraints_path, encoding="utf-8") as handle:
        overrides = [
            line.strip()
            for line in handle
            if line.strip() and not line.lstrip().startswith("#")
        ]
    replaced = {_name(line) for line in overrides}
    with open(requirements_path, encoding="utf-8") as handle:
        for line in handle:
            if line.lstrip().startswith("#") or _name(line) not in replaced:
                sys.stdout.write(line)
    sys.stdout.write("\n".join(overrides) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
