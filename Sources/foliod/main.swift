print("foliod: not built yet")
