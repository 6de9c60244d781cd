"""社会稳定预警: early warnings raised by rules kept in the registry."""
