"""Scoped reads of the selection, one module per concern: every queryset goes through the
access policy and arrives with its relations loaded, so query counts stay flat."""
