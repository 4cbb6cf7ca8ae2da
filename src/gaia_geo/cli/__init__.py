"""The ``gaia-geo`` command line: one module per stage, thin over the library."""
