"""Loopback fakes of idpd's upstream identity providers (one module each), served together by
tests/fakes/upstream_fakes.py. Each speaks its upstream's documented wire format; the sources
are cited at the top of each module."""
