print("foliod: waiting for the parser to land")
