"""Which portals a run crawls one after another (one host, or one address), the slot map
of ``politeness = "ip"``, and the run's host ledger."""

from __future__ import annotations

import time
from pathlib import Path

from crawler.middlewares.politeness import HostLedger, parse_slots
from tinmoi.config import Config, PortalOverride
from tinmoi.plan import RunPlan, crawl_groups, slot_setting
from tinmoi.politeness import group_by_host, politeness_keys, resolve_address

#: localhost and 127.0.0.1 are two names of one address; 127.0.0.12 is another.
HOSTS = {"a": "localhost", "b": "127.0.0.1", "c": "127.0.0.12", "d": "localhost"}


def test_portals_are_grouped_by_host_name_in_crawl_order():
    assert group_by_host(HOSTS) == [["a", "d"], ["b"], ["c"]]


def test_politeness_ip_groups_host_names_that_resolve_to_one_address():
    assert resolve_address("localhost") == "127.0.0.1"
    assert group_by_host(HOSTS, "ip") == [["a", "b", "d"], ["c"]]
    assert politeness_keys(["localhost", "127.0.0.12"], "ip") == {
        "127.0.0.12": "127.0.0.12",
        "localhost": "127.0.0.1",
    }


def test_a_name_that_does_not_resolve_stays_its_own_host():
    assert resolve_address("no-such-host.invalid") is None
    hosts = {"a": "no-such-host.invalid", "b": "localhost"}
    assert group_by_host(hosts, "ip") == [["a"], ["b"]]
    assert politeness_keys(hosts.values(), "ip")["no-such-host.invalid"] == ("no-such-host.invalid")


def _plan(politeness: str) -> RunPlan:
    overrides = {
        "hanam_tourism": PortalOverride(base_url="http://localhost:8001"),
        "quangnam_tourism": PortalOverride(
            base_url="http://127.0.0.1:8002",
            url_map={"https://cdn.example.vn": "http://localhost:8003"},
        ),
    }
    config = Config(overrides=overrides, politeness=politeness)
    return RunPlan(config=config, portals=["hanam_tourism", "quangnam_tourism"], build=False)


def test_a_run_groups_by_fetch_host_and_keys_an_ip_run_s_slots_on_the_address():
    assert crawl_groups(_plan("host")) == [["hanam_tourism"], ["quangnam_tourism"]]
    assert crawl_groups(_plan("ip")) == [["hanam_tourism", "quangnam_tourism"]]
    assert slot_setting(_plan("host"), "quangnam_tourism") == {}
    assert slot_setting(_plan("ip"), "quangnam_tourism") == {"TINMOI_SLOTS": "localhost=127.0.0.1"}
    assert parse_slots("localhost=127.0.0.1, Www.X.vn=10.0.0.5") == {
        "localhost": "127.0.0.1",
        "www.x.vn": "10.0.0.5",
    }


def test_the_ledger_keeps_the_latest_time_per_slot_in_one_file_each(tmp_path: Path):
    ledger = HostLedger(tmp_path / "hosts")
    assert ledger.not_before("127.0.0.11") == 0.0
    later = time.time() + 3
    ledger.record("127.0.0.11", later)
    ledger.record("[::1]", 5.0)
    assert HostLedger(tmp_path / "hosts").not_before("127.0.0.11") == later
    assert ledger.not_before("[::1]") == 5.0
    assert sorted(p.name for p in (tmp_path / "hosts").iterdir()) == [
        "%5B%3A%3A1%5D.json",
        "127.0.0.11.json",
    ]
