"""Registry-scale batch work (design part 5, scale-out): partitions of vehicles through the engine and the rules, on Dask."""
