"""JavaScript that reads JupyterLab's notebook model through ``window.jupyterapp``.

Shared by the desktop browser test (``tests/test_browser_jupyterlab.py``, JupyterLab's
``expose_app_in_browser``) and the browser edition's (``tests/lite_support.py``, the site's
``exposeAppInBrowser``): both JupyterLabs answer the same model, so one text serves both.
"""

from __future__ import annotations

#: The notebook in front of the page.
NOTEBOOK = "window.jupyterapp.shell.currentWidget"
#: True once the notebook ``path`` is in front, loaded, its kernel idle (a workspace may restore
#: another notebook first).
KERNEL_READY = f"""(path) => {{
    const nb = window.jupyterapp && {NOTEBOOK};
    if (!nb || !nb.context || nb.context.path !== path || !nb.context.isReady) return false;
    const kernel = nb.sessionContext && nb.sessionContext.session
        && nb.sessionContext.session.kernel;
    return !!(kernel && kernel.status === 'idle' && nb.content.widgets.length);
}}"""
