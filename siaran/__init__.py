"""Siaran: publication manager of the Pemerintah Kota Bekasi information office."""

__version__ = "0.1.0"
