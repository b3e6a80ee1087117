"""The benchmark of `make bench`: reference pages, a measuring WSGI entry point and the runner."""
