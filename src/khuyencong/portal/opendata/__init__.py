"""Dữ liệu mở: the public datasets, their formats (CSV, JSON, .xlsx) and metadata
(Frictionless ``datapackage.json``, DCAT JSON-LD)."""
