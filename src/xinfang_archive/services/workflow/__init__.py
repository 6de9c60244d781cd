"""@workflow for cases: the statutory rules answer in words."""
