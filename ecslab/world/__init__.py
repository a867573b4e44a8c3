"""The simulated world: clock, lifecycle, scheduler, deployments, health, routing, validation.

The only wing of ecslab that touches moto's internals; it never imports ipywidgets or graphviz.
"""
