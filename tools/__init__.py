"""Development tools: the docs generator, the benchmark, CI helpers. The program and the pack never import them."""
