// placeholder until the library has sources
