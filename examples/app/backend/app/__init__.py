"""The example backend: a small FastAPI service behind the load balancer's ``/api/*`` rule."""
