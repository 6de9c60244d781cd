"""The ``xinfang-archive`` command line."""
