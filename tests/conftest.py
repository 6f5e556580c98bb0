"""Shared test set-up: no network beyond loopback, and required tools in CI."""

from __future__ import annotations

import os

import netguard  # tests/ is on sys.path through pytest's `pythonpath` setting
import pytest


@pytest.fixture(autouse=True, scope="session")
def _no_internet() -> None:
    """Fail any connection to a non-loopback address, for the whole session."""
    with netguard.loopback_only():
        yield


# CI sets DOSSIER_REQUIRE_TOOLS=1 after installing chromium, newsboat and axe-core: there a
# test skipped for a missing tool is a failed set-up, not something to shrug off.
MISSING_TOOL = ("is missing", "is not installed")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    outcome = yield
    report = outcome.get_result()
    required = os.environ.get("DOSSIER_REQUIRE_TOOLS") == "1"
    if report.skipped and required and any(t in str(report.longrepr) for t in MISSING_TOOL):
        report.outcome = "failed"
