"""Fuzzing the table and configuration readers: mutated real files end in Workbench's errors.

Each run happens in a child process whose address space is capped (what it uses after start-up
plus 1.5 GB) and which has a time limit, so a reader that allocated without bound or looped
would fail the test instead of the machine. Inside, Hypothesis mutates valid files (bytes
replaced, inserted, deleted and repeated; quotes, separators, NUL bytes, invalid UTF-8, deep
brackets and long lines spliced in) and every outcome must be a result or one of Workbench's
own errors, whose message names the file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = 300

_CHILD = textwrap.dedent("""
    import json, resource, sys, tempfile
    from pathlib import Path
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from workbench.config import DataConfig, load_toml
    from workbench.core.data import load_dataset
    from workbench.errors import WorkbenchError
    import pandas, charset_normalizer, numpy  # imported before the cap
    with open("/proc/self/status") as f:
        vm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
    resource.setrlimit(resource.RLIMIT_AS, (vm + 1536 * 2**20, resource.RLIM_INFINITY))

    kind, examples = sys.argv[1], int(sys.argv[2])
    base = Path(sys.argv[3]).read_bytes()
    if kind == "toml":  # arrays on one line, so a value can be replaced by line
        import tomllib, tomli_w
        base = tomli_w.dumps(tomllib.loads(base.decode()), multiline_strings=False).encode()
    folder = Path(tempfile.mkdtemp())
    splices = [b'"', b"'", b",", b";", b"\\t", b"|", b"\\n", b"\\r\\n", b"\\x00", b"\\xff\\xfe",
               b"\\xe9", b"NA", b"1e999", b"-", b"[" * 2000, b"{" * 2000, b"a = [" * 500,
               b"1," * 20000, b"x" * 200000, b"#DIV/0!", b"\\xef\\xbb\\xbf", b"=cmd|' /c x'!A0"]
    outcomes = {"read": 0, "refused": 0}
    bugs = []
    refusals = []

    @st.composite
    def mutated(draw):
        data = bytearray(base)
        for _ in range(draw(st.integers(1, 6))):
            op = draw(st.integers(0, 4))
            at = draw(st.integers(0, len(data)))
            if op == 0 and data:
                data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
            elif op == 1:
                data[at:at] = draw(st.sampled_from(splices))
            elif op == 2:
                del data[at:at + draw(st.integers(1, 40))]
            elif op == 3:
                data[at:at] = data[at:at + draw(st.integers(1, 200))] * draw(st.integers(1, 50))
            else:
                data[at:at] = draw(st.binary(min_size=1, max_size=20))
        return bytes(data)

    # Configurations are mostly attacked through their values, so that most mutations still
    # parse and reach the settings' own checks.
    values = ["-1", "0", "1e308", "nan", "inf", "-inf", '"x"', '""', "[1, 2]", "true",
              "[" * 60 + "]" * 60, '"' + "a" * 5000 + '"', '"\\u001b[2J"', "[65536, 65536]",
              "[4]", '["a", 1]', "{a = 1}", "9999999999999999999", "0.5", '"/dev/zero"',
              '"adam"', '"cnn"', "[" + "1," * 300 + "1]"]

    @st.composite
    def mutated_toml(draw):
        lines = base.decode().splitlines()
        for _ in range(draw(st.integers(1, 4))):
            i = draw(st.integers(0, len(lines) - 1))
            if "=" in lines[i]:
                key = lines[i].split("=", 1)[0]
                lines[i] = key + "= " + draw(st.sampled_from(values))
            elif draw(st.booleans()):
                lines.insert(i, lines[draw(st.integers(0, len(lines) - 1))])
        blob = ("\\n".join(lines) + "\\n").encode()
        return blob if draw(st.integers(0, 9)) else draw(mutated())

    @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(blob=mutated_toml() if kind == "toml" else mutated())
    def attack(blob):
        path = folder / ("fuzzed.toml" if kind == "toml" else "fuzzed.csv")
        path.write_bytes(blob)
        try:
            if kind == "toml":
                load_toml(path)
            else:
                load_dataset(DataConfig(dataset="csv", csv_path=str(path)), 0)
            outcomes["read"] += 1
        except WorkbenchError as exc:
            text = str(exc)
            if "Traceback" in text or "fuzzed" not in text and kind == "csv" and not (
                    "batch" in text or "classes" in text):
                bugs.append(text[:200])
            outcomes["refused"] += 1
            refusals.append(text[:120])
        except BaseException as exc:
            bugs.append(f"{type(exc).__name__}: {str(exc)[:200]}")

    attack()
    print(json.dumps({"outcomes": outcomes, "bugs": bugs[:10], "count": len(bugs),
                      "refusals": sorted(set(refusals))[:10]}))
""")


def _run(kind: str, base: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", _CHILD, kind, str(EXAMPLES), str(base)],
                          capture_output=True, text=True, timeout=600, check=False,
                          env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.splitlines()[-1])


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_mutated_csv_files_end_in_a_result_or_a_named_error(tmp_path: Path) -> None:
    base = tmp_path / "base.csv"
    base.write_text(
        "id,species,island,bill_mm,sex,seen\n"
        + "".join(f"P{i},{['Adelie', 'Gentoo'][i % 2]},{['Biscoe', 'Dream', 'NA'][i % 3]},"
                  f"{38 + i % 7}.{i % 10},{['male', 'female', ''][i % 3]},2008-0{1 + i % 9}-1{i % 9}\n"
                  for i in range(40)), encoding="utf-8")
    result = _run("csv", base)
    assert result["count"] == 0, result["bugs"]
    assert result["outcomes"]["read"] > 20 and result["outcomes"]["refused"] > 20, result


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_mutated_configuration_files_end_in_a_result_or_a_named_error(tmp_path: Path) -> None:
    from workbench.config import TrainConfig, save_toml

    base = tmp_path / "base.toml"
    save_toml(TrainConfig().with_changes(data={"dataset": "csv", "csv_path": "t.csv",
                                               "categorical": ("a", "b")},
                                         model={"hidden": (32, 16)}), base)
    result = _run("toml", base)
    assert result["count"] == 0, result["bugs"]
    assert result["outcomes"]["read"] > 20 and result["outcomes"]["refused"] > 20, result
