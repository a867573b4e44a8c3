"""Where a lab's boto3 calls go: in-process moto, a shared ecslab server, or a real account."""
