"""The simulated world: clock, lifecycle, scheduler, deployments, health, routing, validation.

The only wing of ecslab that touches moto's internals; it never imports ipywidgets or graphviz.
"""

from ecslab import pyodide_platform

# In the browser, moto's import of the compiled `cryptography` finds a stand-in (never called).
pyodide_platform.provide_stand_ins()
