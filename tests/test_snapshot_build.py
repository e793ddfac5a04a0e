"""The committed snapshots and expectation files are what their builders render now."""

from __future__ import annotations

from pathlib import Path

from tools.build_snapshots import CONTENT, EXPECTED, OUT, build


def files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its relative path."""
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def differences(rendered: Path, committed: Path) -> list[str]:
    """Relative paths missing from, added to or changed in ``committed``."""
    new, old = files(rendered), files(committed)
    return sorted(
        [f"missing {name}" for name in old.keys() - new.keys()]
        + [f"extra {name}" for name in new.keys() - old.keys()]
        + [f"changed {name}" for name in new.keys() & old.keys() if new[name] != old[name]]
    )


def test_every_snapshot_re_renders_byte_for_byte(tmp_path):
    out, expected = tmp_path / "snapshots", tmp_path / "expected"
    portals = [build(path, out, expected)["portal"] for path in sorted(CONTENT.glob("*.json"))]
    assert portals == sorted(p.name for p in OUT.iterdir() if p.is_dir())
    assert differences(out, OUT) == []
    assert differences(expected, EXPECTED) == []
