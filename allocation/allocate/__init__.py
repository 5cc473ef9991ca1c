"""The pure core: the pot tree's rules, largest-remainder money, the pot walk, granting, the trace."""
