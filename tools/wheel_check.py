"""Install the addon from its built wheel and check that nothing was lost on the way.

Run by ``make test`` (tools/odoo_tests.py, after the live-data check);
alone: ``python tools/wheel_check.py <env file> [--keep-db]``.

1. copies the checkout (without .git and build/; with what test runs leave
   behind, __pycache__ included) to a scratch folder and builds the wheel there with
   ``pip wheel --no-deps --no-build-isolation`` (the venv's setuptools);
2. checks the wheel's name, version and layout (only
   ``odoo/addons/<module>/`` and its dist-info);
3. ``pip install --no-deps --target`` it, and checks that the installed files
   are the checkout's addon files, byte for byte: every file git tracks or would
   track, except the repository's tooling (tools/, bench/, dot files, Makefile,
   pyproject.toml);
4. installs the addon from there on a new database made from the test template,
   with an addons path of Odoo's own addons and the scratch target only;
5. in ``odoo-bin shell`` on that database and addons path: the addon was
   imported from the wheel's copy, and for every model class the checkout's
   Python files define (found with ``ast``: classes deriving
   ``models.Model``/``AbstractModel``/``TransientModel``, named by their
   ``_name`` or single ``_inherit``), the registry's class of that model has it
   in its MRO (same ``__module__`` and ``__qualname__``).

Prints ``[wheel] PASS <check>`` / ``[wheel] FAIL <check>: <why>``; ``run()``
returns the (name, ok, detail) list that tools/odoo_tests.py counts.
"""

import ast
import email.parser
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

PREFIX = "[wheel]"
DIST_NAME = "odoo-addon-{module}"
# The repository's tooling, which the wheel must not carry (besides anything
# whose path has a part starting with a dot: .git, .ci, .gitignore...).
TOOLING_DIRS = ("tools", "bench")
TOOLING_FILES = ("Makefile", "pyproject.toml")
# Python files Odoo imports only with --test-enable.
NOT_IMPORTED = ("tests",)
MODEL_BASES = {"Model", "AbstractModel", "TransientModel"}
# Top-level folders not copied into the scratch folder: setuptools would put
# into the wheel whatever an earlier build left in build/lib (a clean clone has
# no build/); a virtual environment could be large.
COPY_IGNORE = {".git", ".venv", "node_modules", "build", "dist"}
MARK = "@@WHEEL "
LOG_ERROR = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ", re.MULTILINE)
LOG_LEVEL = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ")

# Run by `odoo-bin shell`, which gives ``env``; MARK, CLASSES, TARGET and MODULE
# are set before it.
SHELL_SCRIPT = """
import json, sys
from odoo.modules.module import get_module_path

classes, target, module = json.loads(CLASSES), TARGET, MODULE
package = sys.modules.get("odoo.addons." + module)
state = env["ir.module.module"].search([("name", "=", module)]).state
loaded = {
    "path": get_module_path(module, display_warning=False),
    "file": getattr(package, "__file__", None),
    "state": state,
}
found = []
for module_name, qualname, model in classes:
    cls = env.registry.get(model) if model else None
    mro = cls.__mro__ if cls is not None else ()
    file = getattr(sys.modules.get(module_name), "__file__", None) or ""
    if not model:
        why = "the class names no model (_name, or one _inherit)"
    elif cls is None:
        why = f"no model {model} in the registry"
    elif not any(
        k.__module__ == module_name and k.__qualname__ == qualname for k in mro
    ):
        why = f"the registry's {model} does not derive from it"
    elif not file.startswith(target):
        why = f"{module_name} was imported from {file}, not from {target}"
    else:
        why = ""
    found.append([not why, why])
print(MARK + json.dumps({"loaded": loaded, "found": found}))
"""


def odoo_addons_path(cfg):
    """Odoo's own addons folders, as tools/bootstrap.sh lists them."""
    paths = [Path(cfg["ODOO_SRC"], "addons"), Path(cfg["ODOO_SRC"], "odoo", "addons")]
    return [str(path) for path in paths if path.is_dir()]


def is_tooling(relative):
    parts = Path(relative).parts
    return (
        any(part.startswith(".") for part in parts)
        or parts[0] in TOOLING_DIRS
        or (len(parts) == 1 and parts[0] in TOOLING_FILES)
    )


def addon_files(repo):
    """The checkout's files that make the addon: what git tracks or would track."""
    listed = subprocess.run(
        ["git", "-C", repo, "ls-files", "-z", "--cached", "--others"]
        + ["--exclude-standard"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\0")
    return {
        name
        for name in listed
        if name and not is_tooling(name) and Path(repo, name).is_file()
    }


def model_classes(repo, module_name, files):
    """[(module, qualname, model name)] of the model classes the files define."""
    classes = []
    for relative in sorted(files):
        path = Path(relative)
        if path.suffix != ".py" or path.parts[0] in NOT_IMPORTED:
            continue
        parts = path.with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        module = ".".join(("odoo", "addons", module_name, *parts))
        tree = ast.parse(Path(repo, relative).read_bytes(), filename=relative)
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and _is_model_class(node):
                model = _model_name(node)
                classes.append((module, node.name, model))
    return classes


def _is_model_class(node):
    for base in node.bases:
        name = base.attr if isinstance(base, ast.Attribute) else None
        name = base.id if isinstance(base, ast.Name) else name
        if name in MODEL_BASES:
            return True
    return False


def _model_name(node):
    values = {}
    for statement in node.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name) and target.id in ("_name", "_inherit"):
                try:
                    values[target.id] = ast.literal_eval(statement.value)
                except ValueError:
                    continue
    inherit = values.get("_inherit")
    if isinstance(inherit, list | tuple) and len(inherit) == 1:
        inherit = inherit[0]
    return values.get("_name") or (inherit if isinstance(inherit, str) else None)


def _log_problems(text):
    """The errors of an Odoo log, with the warnings and exceptions around them."""
    if not LOG_ERROR.search(text):
        return ""
    found = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if LOG_LEVEL.match(line):
            found.append(line.strip())
        elif line.startswith("Traceback"):
            # The exception is the first line after the frames.
            found += [ln for ln in lines[index + 1 :] if ln and not ln[0].isspace()][:1]
    return "\n".join(dict.fromkeys(found))


class WheelCheck:
    def __init__(self, cfg, scratch):
        self.cfg = cfg
        self.module = cfg["MODULE"]
        self.scratch = scratch
        self.results = []

    def record(self, name, ok, detail=""):
        self.results.append((name, bool(ok), str(detail)))
        line = f"{PREFIX} {'PASS' if ok else 'FAIL'} {name}"
        if not ok and detail:
            line += f": {str(detail)[:2000]}"
        print(line, flush=True)
        return ok

    def run_logged(self, name, cmd, **kwargs):
        """Run cmd, its output in <scratch>/<name>.log; (ok, output)."""
        started = time.monotonic()
        run = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
        output = run.stdout + run.stderr
        Path(self.scratch, f"{name}.log").write_text(output, encoding="utf-8")
        print(f"{PREFIX} ({name}: {time.monotonic() - started:.0f}s)", flush=True)
        return run.returncode == 0, output

    def build(self):
        source = Path(self.scratch, "src")
        top = os.path.realpath(self.cfg["REPO"])
        shutil.copytree(
            top,
            source,
            symlinks=True,
            ignore=lambda folder, names: COPY_IGNORE & set(names)
            if os.path.realpath(folder) == top
            else (),
        )
        dist = Path(self.scratch, "dist")
        ok, output = self.run_logged(
            "build",
            [f"{self.cfg['VENV']}/bin/python", "-m", "pip", "wheel", "--no-deps"]
            + ["--no-build-isolation", "--no-index", "-w", str(dist), str(source)],
            env=dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1"),
        )
        wheels = sorted(dist.glob("*.whl"))
        self.record(
            "the wheel builds (pip wheel --no-deps --no-build-isolation)",
            ok and len(wheels) == 1,
            output[-3000:],
        )
        return wheels[0] if ok and len(wheels) == 1 else None

    def check_wheel(self, wheel):
        manifest = ast.literal_eval(
            Path(self.cfg["REPO"], "__manifest__.py").read_text("utf-8")
        )
        name = DIST_NAME.format(module=self.module)
        dist_info = f"{name.replace('-', '_')}-{manifest['version']}.dist-info/"
        with zipfile.ZipFile(wheel) as archive:
            names = archive.namelist()
            metadata = email.parser.HeaderParser().parsestr(
                archive.read(dist_info + "METADATA").decode()
                if dist_info + "METADATA" in names
                else ""
            )
        root = f"odoo/addons/{self.module}/"
        elsewhere = [n for n in names if not n.startswith((root, dist_info))]
        problems = []
        if (metadata["Name"], metadata["Version"]) != (name, manifest["version"]):
            problems.append(
                f"metadata says {metadata['Name']} {metadata['Version']}, "
                f"expected {name} {manifest['version']}"
            )
        if not wheel.name.endswith("-py3-none-any.whl"):
            problems.append(f"file name {wheel.name}")
        if elsewhere:
            problems.append(f"files outside {root}: {elsewhere[:10]}")
        self.record(
            f"the wheel is {name} {manifest['version']} and holds only {root}",
            not problems,
            "; ".join(problems),
        )

    def install_files(self, wheel, expected):
        target = Path(self.scratch, "target")
        ok, output = self.run_logged(
            "pip-install",
            [f"{self.cfg['VENV']}/bin/python", "-m", "pip", "install", "--no-deps"]
            + ["--no-index", "--no-compile", "--target", str(target), str(wheel)],
            env=dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1"),
        )
        self.record("pip install --target of the wheel", ok, output[-3000:])
        installed_root = target / "odoo" / "addons" / self.module
        installed = {
            str(path.relative_to(installed_root))
            for path in installed_root.rglob("*")
            if path.is_file()
        }
        missing = sorted(expected - installed)
        extra = sorted(installed - expected)
        changed = [
            name
            for name in sorted(expected & installed)
            if not filecmp.cmp(
                Path(self.cfg["REPO"], name), installed_root / name, shallow=False
            )
        ]
        detail = []
        for label, names in (("missing", missing), ("extra", extra)):
            if names:
                detail.append(f"{label} {len(names)}: {', '.join(names[:25])}")
        if changed:
            detail.append(f"different content: {', '.join(changed[:25])}")
        self.record(
            f"the installed files are the checkout's {len(expected)} addon files",
            not detail,
            "; ".join(detail),
        )
        return target / "odoo" / "addons" if ok else None

    def install_addon(self, database, addons):
        cmd = harness.odoo_cmd(
            self.cfg,
            database,
            f"--addons-path={addons}",
            "-i",
            self.module,
            "--log-level=warn",
            f"--http-port={harness.free_port()}",
        )
        ok, output = self.run_logged("odoo-install", cmd)
        errors = _log_problems(output)
        return self.record(
            f"-i {self.module} from the wheel on a fresh database without error",
            ok and not errors,
            errors or output[-3000:],
        )

    def check_registry(self, database, addons, target, classes):
        script = (
            f"MARK = {MARK!r}\nCLASSES = {json.dumps(classes)!r}\n"
            f"TARGET = {str(target)!r}\nMODULE = {self.module!r}\n" + SHELL_SCRIPT
        )
        cmd = [
            f"{self.cfg['VENV']}/bin/python",
            f"{self.cfg['ODOO_SRC']}/odoo-bin",
            "shell",
            "-c",
            self.cfg["ODOO_CONF"],
            f"--addons-path={addons}",
            "-d",
            database,
            "--no-http",
            "--log-level=warn",
        ]
        _ok, output = self.run_logged("odoo-shell", cmd, input=script)
        lines = [ln for ln in output.splitlines() if ln.startswith(MARK)]
        if not lines:
            self.record("odoo-bin shell on the wheel's database ran", False, output)
            return
        data = json.loads(lines[-1][len(MARK) :])
        loaded = data["loaded"]
        module_dir = str(Path(target, self.module))
        self.record(
            f"{self.module} is installed and imported from the wheel's copy",
            loaded["state"] == "installed"
            and (loaded["path"] or "") == module_dir
            and (loaded["file"] or "").startswith(module_dir + os.sep),
            f"state {loaded['state']}, module path {loaded['path']}, "
            f"package file {loaded['file']}; expected {module_dir}",
        )
        for (module_name, qualname, model), (ok, why) in zip(
            classes, data["found"], strict=True
        ):
            short = module_name.removeprefix(f"odoo.addons.{self.module}.")
            name = model or "(no model)"
            self.record(f"registry: {name} has {short}.{qualname}", ok, why)


def run(cfg, template, keep_db=False):
    """Build, install and check; the results."""
    database = f"pst_wheel_{os.getpid()}"
    scratch = Path(cfg["STATE"], "wheel", database)
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    print(f"{PREFIX} the addon installed from its wheel ({database})", flush=True)
    started = time.monotonic()
    check = WheelCheck(cfg, scratch)
    expected = addon_files(cfg["REPO"])
    try:
        classes = model_classes(cfg["REPO"], cfg["MODULE"], expected)
    except SyntaxError as error:
        classes = []
        check.record("the addon's Python files parse", False, repr(error))
    wheel = check.build()
    addons = None
    if wheel:
        check.check_wheel(wheel)
        addons = check.install_files(wheel, expected)
    if addons:
        harness.drop_database(cfg, database)
        harness.create_database(cfg, database, template)
        path = ",".join([*odoo_addons_path(cfg), str(addons)])
        try:
            check.install_addon(database, path)
            check.check_registry(database, path, addons, classes)
        finally:
            if keep_db:
                print(f"{PREFIX} kept database {database}")
            else:
                harness.drop_database(cfg, database)
                filestore = Path(cfg["STATE"], "data", "filestore", database)
                shutil.rmtree(filestore, ignore_errors=True)
    if harness.report_results(PREFIX, check.results, started) or keep_db:
        print(f"{PREFIX} wheel, installed copy and logs in {scratch}")
    else:
        shutil.rmtree(scratch, ignore_errors=True)
    return check.results


def main():
    return harness.check_main(run, __doc__.split("\n\n")[0])


if __name__ == "__main__":
    sys.exit(main())
