"""The add-on's tests: a package, so that test modules, conftest.py and the
benchmarks all import their helpers as ``tests.helpers.<module>``."""

import pytest


# The helpers' asserts explain their failures as the tests' own do.
pytest.register_assert_rewrite("tests.helpers")
