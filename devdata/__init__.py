"""Development data, outside the domain: the demo story `make run` loads
(`load_demo_data`) and the national-scale generator `make bench` measures
(`generate_scale`). Both write through the apps' services and models; no app imports this."""
