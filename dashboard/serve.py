"""`python -m dashboard.serve run dashboard/app.py …`: Streamlit's own command line, with one
switch set first.

Streamlit decides once per server process, when its first browser connects, whether the app is
an old-style "pages/ folder" app; that first run then resolves the address against the files in
dashboard/pages/ (by file name), not against the app's own navigation, and answers a bookmarked
page with its English "Page not found" dialog. The app builds its navigation with `st.navigation`
(which clears the switch for every later connection), so the switch is cleared before the server
starts and the first person behaves like everyone after them.

It also adds the security headers (no framing by other sites, no type sniffing, no referrer to
other sites) to every answer: dashboard/headers.py.
"""

from __future__ import annotations

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web.cli import main

from dashboard import headers

if __name__ == "__main__":
    PagesManager.uses_pages_directory = False
    headers.install()
    main(prog_name="streamlit")
