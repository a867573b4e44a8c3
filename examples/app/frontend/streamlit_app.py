"""The example frontend: a Streamlit page that asks the backend through the load balancer.

``BACKEND_URL`` says where the backend is: ``http://localhost:8000`` on a laptop, the load
balancer's address in ECS (the ALB sends ``/api/*`` to the backend's target group).
"""

from __future__ import annotations

import json
import os
import urllib.parse
import urllib.request

import streamlit as st

BACKEND_URL = os.environ.get("BACKEND_URL", "http://localhost:8000").rstrip("/")
TIMEOUT_SECONDS = 5


def fetch_json(path: str) -> dict:
    """GET ``BACKEND_URL + path`` and decode its JSON."""
    with urllib.request.urlopen(BACKEND_URL + path, timeout=TIMEOUT_SECONDS) as response:
        return json.load(response)


st.set_page_config(page_title="ecslab example", page_icon="🚢")
st.title("ecslab example app")
st.caption("A Streamlit frontend calling a FastAPI backend, both on ECS behind one ALB.")

name = st.text_input("Your name", value="world")
try:
    greeting = fetch_json("/api/hello?" + urllib.parse.urlencode({"name": name}))
    info = fetch_json("/api/info")
except OSError as error:
    st.error(f"The backend at {BACKEND_URL} did not answer: {error}")
else:
    st.success(greeting["message"])
    st.metric("Backend version", info["version"])
