"""Verbs that change state and own the transaction."""
