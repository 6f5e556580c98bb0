"""Loaded by every Python process started with this folder on PYTHONPATH (build subprocesses
of the tests): the network guard is in place before any of our code runs."""

import netguard

netguard.install()
