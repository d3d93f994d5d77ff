"""Biaya platform (being built)."""

from __future__ import annotations

import streamlit as st

from content.permissions import Action
from dashboard import auth

auth.require_page(Action.VIEW_REPORTS)
st.title("Biaya platform")
